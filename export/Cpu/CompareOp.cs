namespace Graphport.Cpu;

/// <summary>Elementwise comparisons producing bool (NaN compares unequal to everything, itself included).</summary>
public enum CompareOp
{
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}
