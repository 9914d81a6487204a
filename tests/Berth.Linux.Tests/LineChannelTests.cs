namespace Berth.Linux.Tests;

/// <summary>Newline-delimited messages over a real socket pair, as text and as UTF-8 bytes.</summary>
public sealed class LineChannelTests
{
    [Fact]
    public void Lines_arrive_whole_and_in_order_as_text_or_bytes()
    {
        (SafeFd first, SafeFd second) = FileDescriptors.CreateSocketPair();
        using var sender = new LineChannel(first);
        using var receiver = new LineChannel(second);
        byte[] long8 = [.. Enumerable.Repeat((byte)'x', 10_000)];

        sender.Send("""{"a":"é"}""");
        sender.Send(long8);
        sender.Send("two\nlines");

        Assert.Equal("""{"a":"é"}"""u8.ToArray(), receiver.ReceiveUtf8());
        Assert.Equal(long8, receiver.ReceiveUtf8());
        Assert.Equal("two lines", receiver.Receive());
        sender.Fd.Dispose();
        Assert.Null(receiver.ReceiveUtf8());
    }

    [Fact]
    public void A_byte_line_with_a_newline_in_it_is_refused_and_nothing_is_sent()
    {
        (SafeFd first, SafeFd second) = FileDescriptors.CreateSocketPair();
        using var sender = new LineChannel(first);
        using var receiver = new LineChannel(second);

        Assert.Throws<ArgumentException>(() => sender.Send("a\nb"u8));
        sender.Send("ok"u8);

        Assert.Equal("ok", receiver.Receive());
    }
}
