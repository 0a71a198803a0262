using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Graphport.Analysis;

/// <summary>
/// Maps the ILOpCode read from a method body to System.Reflection.Emit's OpCode description, which already knows
/// each opcode's operand encoding and how many stack slots it pops and pushes. Reusing that table keeps the decoder
/// and the interpreter free of a hand-written 220-entry switch that could drift from the ECMA-335 definitions.
/// </summary>
internal static class OpCodeTable
{
    private static readonly Dictionary<ushort, OpCode> ByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(OpCode))
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => unchecked((ushort)o.Value));

    public static OpCode Get(ILOpCode code) =>
        ByValue.TryGetValue((ushort)code, out var opCode)
            ? opCode
            : throw new BadImageFormatException($"Unknown IL opcode 0x{(ushort)code:X4}.");

    /// <summary>Slots popped by opcodes whose pop count is fixed; -1 for Varpop (calls and ret), which depend on a signature.</summary>
    public static int PopCount(OpCode opCode) => opCode.StackBehaviourPop switch
    {
        StackBehaviour.Pop0 => 0,
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8
            or StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
        StackBehaviour.Popi_popi_popi or StackBehaviour.Popref_popi_popi or StackBehaviour.Popref_popi_popi8
            or StackBehaviour.Popref_popi_popr4 or StackBehaviour.Popref_popi_popr8 or StackBehaviour.Popref_popi_popref
            or StackBehaviour.Popref_popi_pop1 => 3,
        _ => -1,
    };

    /// <summary>Slots pushed by opcodes whose push count is fixed; -1 for Varpush (calls).</summary>
    public static int PushCount(OpCode opCode) => opCode.StackBehaviourPush switch
    {
        StackBehaviour.Push0 => 0,
        StackBehaviour.Push1 or StackBehaviour.Pushi or StackBehaviour.Pushi8 or StackBehaviour.Pushr4
            or StackBehaviour.Pushr8 or StackBehaviour.Pushref => 1,
        StackBehaviour.Push1_push1 => 2,
        _ => -1,
    };
}
