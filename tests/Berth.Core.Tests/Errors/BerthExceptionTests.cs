using Berth.Core.Errors;

namespace Berth.Core.Tests.Errors;

public sealed class BerthExceptionTests
{
    [Fact]
    public void The_outermost_classified_error_gives_the_kind()
    {
        var inner = Berth.Core.Errors.Errors.NotFound("no such image: x");
        var outer = Berth.Core.Errors.Errors.Conflict("in use");
        Assert.Equal(ErrorKind.Conflict, BerthException.KindOf(new InvalidOperationException("wrap", outer)));
        Assert.Equal(ErrorKind.NotFound, BerthException.KindOf(new InvalidOperationException("wrap", inner)));
    }

    [Fact]
    public void Cancellation_and_unclassified_errors_have_their_own_kinds()
    {
        Assert.Equal(ErrorKind.Canceled, BerthException.KindOf(new OperationCanceledException()));
        Assert.Equal(ErrorKind.Internal, BerthException.KindOf(new InvalidOperationException()));
    }

    [Fact]
    public void Wrap_adds_context_and_keeps_the_inner_kind()
    {
        var wrapped = Berth.Core.Errors.Errors.Wrap(Berth.Core.Errors.Errors.InvalidArgument("bad id"), "creating container x");
        Assert.Equal(ErrorKind.InvalidArgument, wrapped.Kind);
        Assert.Equal("creating container x: bad id", wrapped.Message);
        Assert.IsType<BerthException>(wrapped.InnerException);
    }
}
