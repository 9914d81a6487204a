namespace Berth.Runtime.Shim;

/// <summary>
/// Cuts one output stream into log records the way Docker's log copier does: each complete line is a record, a
/// line still unfinished after 16 KiB is flushed as a partial record (and so is what remains at end of stream).
/// </summary>
internal sealed class LogLineAssembler(Action<ReadOnlyMemory<byte>, bool> emit)
{
    public const int MaxLine = 16 * 1024;

    private readonly byte[] _pending = new byte[MaxLine];
    private int _count;

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            int take = newline < 0 ? data.Length : newline;
            // A line and its newline must fit the 16 KiB buffer; a full buffer without one goes out as a partial record.
            while (_count + take >= MaxLine)
            {
                int room = MaxLine - _count;
                data[..room].CopyTo(_pending.AsSpan(_count));
                _count = MaxLine;
                Flush(partial: true);
                data = data[room..];
                take -= room;
                newline = newline < 0 ? -1 : newline - room;
            }

            data[..take].CopyTo(_pending.AsSpan(_count));
            _count += take;
            if (newline < 0)
            {
                return;
            }

            Flush(partial: false);
            data = data[(take + 1)..];
        }
    }

    /// <summary>End of stream: what is left is a partial record.</summary>
    public void Complete()
    {
        if (_count > 0)
        {
            Flush(partial: true);
        }
    }

    private void Flush(bool partial)
    {
        emit(_pending.AsMemory(0, _count), partial);
        _count = 0;
    }
}
