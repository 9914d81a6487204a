using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Linux;

/// <summary>Zeroed unmanaged allocations freed together.</summary>
internal sealed unsafe class NativeArena : IDisposable
{
    private readonly List<nint> _blocks = [];

    public void* Allocate(int size)
    {
        void* p = NativeMemory.AllocZeroed((nuint)size);
        _blocks.Add((nint)p);
        return p;
    }

    public byte* Utf8(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        byte* p = (byte*)Allocate(length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(p, length));
        return p;
    }

    public byte** Utf8Array(IReadOnlyList<string> values)
    {
        byte** array = (byte**)Allocate(sizeof(byte*) * (values.Count + 1));
        for (int i = 0; i < values.Count; i++)
        {
            array[i] = Utf8(values[i]);
        }

        return array;
    }

    public void Dispose()
    {
        foreach (nint block in _blocks)
        {
            NativeMemory.Free((void*)block);
        }
    }
}
