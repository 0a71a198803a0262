using System.Reflection.Metadata;

namespace Graphport.Analysis;

/// <summary>
/// One decoded IL instruction. Operands are kept as raw numbers (metadata token, local/argument index, constant)
/// because the interpreter resolves tokens itself, with the generic context of the method being inspected.
/// </summary>
/// <param name="Offset">IL offset of the opcode; this is what PDB sequence points are keyed by.</param>
/// <param name="Next">Offset of the following instruction; branch targets are relative to it.</param>
/// <param name="OpCode">The opcode, two-byte forms included.</param>
/// <param name="Operand">Token, index or integer constant; 0 when the opcode has none.</param>
/// <param name="Targets">Absolute branch targets (one for br*/leave, several for switch, none otherwise).</param>
internal readonly record struct ILInstruction(int Offset, int Next, ILOpCode OpCode, long Operand, int[] Targets);
