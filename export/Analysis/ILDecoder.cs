using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Graphport.Analysis;

/// <summary>
/// Turns a method body's IL bytes into instructions with BlobReader, resolving branch displacements to absolute
/// offsets so the interpreter can look targets up directly.
/// </summary>
internal static class ILDecoder
{
    public static ImmutableArray<ILInstruction> Decode(BlobReader reader)
    {
        var instructions = ImmutableArray.CreateBuilder<ILInstruction>();
        while (reader.RemainingBytes > 0)
        {
            var offset = reader.Offset;
            int first = reader.ReadByte();
            var code = (ILOpCode)(first == 0xFE ? 0xFE00 | reader.ReadByte() : first);
            var opCode = OpCodeTable.Get(code);
            long operand = 0;
            int[] targets = [];
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                {
                    var delta = reader.ReadSByte();
                    targets = [reader.Offset + delta];
                    break;
                }
                case OperandType.InlineBrTarget:
                {
                    var delta = reader.ReadInt32();
                    targets = [reader.Offset + delta];
                    break;
                }
                case OperandType.ShortInlineI:
                    // ldc.i4.s is the only signed one; unaligned.'s alignment is a plain byte.
                    operand = code == ILOpCode.Ldc_i4_s ? reader.ReadSByte() : reader.ReadByte();
                    break;
                case OperandType.ShortInlineVar:
                    operand = reader.ReadByte();
                    break;
                case OperandType.InlineVar:
                    operand = reader.ReadUInt16();
                    break;
                case OperandType.InlineI8:
                    operand = reader.ReadInt64();
                    break;
                case OperandType.ShortInlineR:
                    reader.ReadSingle();
                    break;
                case OperandType.InlineR:
                    reader.ReadDouble();
                    break;
                case OperandType.InlineSwitch:
                {
                    var count = reader.ReadUInt32();
                    var deltas = new int[count];
                    for (var i = 0; i < count; i++)
                        deltas[i] = reader.ReadInt32();
                    // Switch displacements count from the end of the whole instruction, table included.
                    var end = reader.Offset;
                    targets = deltas.Select(d => end + d).ToArray();
                    break;
                }
                default:
                    // InlineI, InlineMethod, InlineField, InlineType, InlineTok, InlineString, InlineSig: four bytes.
                    operand = reader.ReadInt32();
                    break;
            }
            instructions.Add(new ILInstruction(offset, reader.Offset, code, operand, targets));
        }
        return instructions.ToImmutable();
    }

    /// <summary>Decodes IL held in a managed array (the reflection fallback, when there is no file to map).</summary>
    public static unsafe ImmutableArray<ILInstruction> Decode(byte[] il)
    {
        if (il.Length == 0)
            return [];
        fixed (byte* start = il)
            return Decode(new BlobReader(start, il.Length));
    }
}
