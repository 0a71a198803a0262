namespace Graphport.Analysis;

/// <summary>
/// What the interpreter knows about one evaluation-stack slot: its static type (null when unknown or when paths
/// disagree), whether it derives from a tensor's Item() (tainted), and, for managed pointers, what it points to.
/// </summary>
internal readonly record struct AbstractValue(Type? Type, bool Tainted, StorageSlot Address)
{
    public static AbstractValue Unknown => default;

    /// <summary>Least upper bound at a control-flow merge: taint if either path is tainted, type only if both agree.</summary>
    public AbstractValue Join(AbstractValue other) => new(
        Type == other.Type ? Type : null,
        Tainted || other.Tainted,
        Address == other.Address ? Address : StorageSlot.None);
}
