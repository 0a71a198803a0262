namespace Graphport.Operators;

/// <summary>
/// The declared type of a schema argument or return: a base type (Tensor, int, SymInt, float, bool, Scalar,
/// ScalarType, str, ...) that may be a list (Fixed size for int[2]), optional (T?), or a list of optional (Tensor?[]).
/// </summary>
public sealed record SchemaType(string Base, bool IsOptional, bool IsList, int? FixedSize, bool ElementOptional)
{
    public bool IsTensor => Base == "Tensor" && !IsList;

    public bool IsTensorList => Base == "Tensor" && IsList;

    /// <summary>int and SymInt are the same at run time; SymInt may carry a symbolic size while tracing.</summary>
    public bool IsInt => Base is "int" or "SymInt";

    public override string ToString()
    {
        string s = Base;
        if (IsList)
        {
            if (ElementOptional) s += "?";
            s += FixedSize is int n ? $"[{n}]" : "[]";
        }
        return IsOptional ? s + "?" : s;
    }
}
