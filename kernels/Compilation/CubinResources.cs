using System.Buffers.Binary;
using System.Text;

namespace Graphport.Kernels.Compilation;

/// <summary>What one kernel of a CUBIN needs per thread: registers, and the stack frame that spilled registers and local arrays take.</summary>
public sealed record KernelResources(string Kernel, int Registers, int FrameBytes);

/// <summary>
/// Reads each kernel's register count and stack frame out of a CUBIN (the ELF file NVRTC returns), the numbers
/// `cuobjdump --dump-resource-usage` prints, so machines without a GPU or toolkit can see when a kernel spills
/// (a frame above zero: registers pushed to local memory, slow) or needs so many registers that few blocks fit on
/// a multiprocessor. They sit in the ELF's ".nv.info" section as attributes naming the kernel's symbol.
/// </summary>
public static class CubinResources
{
    private const byte SizedValue = 0x04;        // EIFMT_SVAL: a 16-bit size, then that many bytes
    private const byte HalfValue = 0x03;         // EIFMT_HVAL: a 16-bit value
    private const byte ByteValue = 0x02;         // EIFMT_BVAL: an 8-bit value
    private const byte RegisterCount = 0x2f;     // EIATTR_REGCOUNT: symbol, registers
    private const byte FrameSize = 0x11;         // EIATTR_FRAME_SIZE: symbol, bytes

    public static IReadOnlyList<KernelResources> Read(byte[] cubin)
    {
        ArgumentNullException.ThrowIfNull(cubin);
        if (cubin.Length < 64 || cubin[0] != 0x7f || cubin[1] != (byte)'E' || cubin[2] != (byte)'L' || cubin[3] != (byte)'F' || cubin[4] != 2)
            throw new ArgumentException("Not a 64-bit ELF CUBIN.", nameof(cubin));
        var data = cubin.AsSpan();
        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(data[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(data[0x3C..]);
        int namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(data[0x3E..]);
        var sections = Enumerable.Range(0, count).Select(i =>
        {
            var header = cubin.AsSpan((int)(sectionTable + (long)i * entrySize), entrySize);
            return (Name: BinaryPrimitives.ReadUInt32LittleEndian(header), Type: BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                    Offset: (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]), Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]),
                    Link: BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]));
        }).ToList();
        string SectionName(int i) => CString(cubin, sections[namesIndex].Offset + sections[i].Name);
        int symbols = sections.FindIndex(s => s.Type == 2); // SHT_SYMTAB
        if (symbols < 0) return [];
        var symbolNames = sections[(int)sections[symbols].Link];
        long symbolTable = sections[symbols].Offset;
        string Symbol(uint index) => CString(cubin, symbolNames.Offset + BinaryPrimitives.ReadUInt32LittleEndian(cubin.AsSpan((int)(symbolTable + index * 24L))));

        var registers = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < sections.Count; i++)
        {
            if (SectionName(i) != ".nv.info") continue;
            long at = sections[i].Offset, end = at + sections[i].Size;
            while (at + 2 <= end)
            {
                byte format = cubin[at], attribute = cubin[at + 1];
                if (format == SizedValue)
                {
                    int size = BinaryPrimitives.ReadUInt16LittleEndian(data[(int)(at + 2)..]);
                    if (size == 8 && attribute is RegisterCount or FrameSize)
                    {
                        var name = Symbol(BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(at + 4)..]));
                        int value = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(at + 8)..]);
                        (attribute == RegisterCount ? registers : frames)[name] = value;
                    }
                    at += 4 + size;
                }
                else at += format == HalfValue ? 4 : format == ByteValue ? 3 : 2;
            }
        }
        return registers.Keys.Order(StringComparer.Ordinal).Select(k => new KernelResources(k, registers[k], frames.GetValueOrDefault(k))).ToList();
    }

    private static string CString(byte[] bytes, long offset)
    {
        int end = Array.IndexOf(bytes, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
    }
}
