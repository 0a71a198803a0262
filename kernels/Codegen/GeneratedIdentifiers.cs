using System.Text.RegularExpressions;

namespace Graphport.Kernels.Codegen;

/// <summary>
/// Names a generated kernel's buffer parameter must not take. A parameter is named after its program value (an input
/// "x", a node "exp"), and the kernel body is written in the same scope: a value named "i" would be hidden by the
/// pointwise loop's index, one named "exp" would hide the function a float64 body calls, one named "int" is not a C++
/// name at all. Such a name gets a trailing underscore (<see cref="CudaRenderer"/>).
/// </summary>
internal static partial class GeneratedIdentifiers
{
    // C++ keywords and alternative tokens NVRTC and g++ both reserve, and CUDA's built-in variables.
    private static readonly HashSet<string> Language = new(StringComparer.Ordinal)
    {
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
        "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
        "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
        "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
        "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
        "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short", "signed",
        "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
        "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
        "volatile", "wchar_t", "while", "xor", "xor_eq", "restrict",
        "threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize", "std",
    };

    // Functions a body calls by name (CudaRenderer's UnaryCode and BinaryCode, with and without the float "f"), and
    // the loop variables and locals it declares: the linear index of each iteration space, the accumulator, the
    // normalized value of a norm's epilogue.
    private static readonly HashSet<string> Body = new(StringComparer.Ordinal)
    {
        "fabs", "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan", "asin", "acos",
        "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "floor", "ceil", "trunc", "round", "fmod",
        "atan2", "pow", "fmin", "fmax", "min", "max", "abs", "isnan", "isinf",
        "i", "ai", "bi", "gi", "p", "r", "row", "s", "t", "acc", "normalized",
    };

    /// <summary>A coordinate (x0, a1, q2, ...) or a temporary (t0, t1, ...) of a generated body.</summary>
    [GeneratedRegex("^[abgoqrstux][0-9]+$")]
    private static partial Regex LocalVariable();

    public static bool IsReserved(string name) =>
        Language.Contains(name)
        || Body.Contains(name) || name.EndsWith('f') && Body.Contains(name[..^1])
        || LocalVariable().IsMatch(name)
        // Graphport's own helpers (gp_load, gp::...) and the compilers' reserved prefixes.
        || name.StartsWith("gp", StringComparison.Ordinal) || name.StartsWith("GP_", StringComparison.Ordinal)
        || name.StartsWith("__", StringComparison.Ordinal) || name.Length > 1 && name[0] == '_' && char.IsAsciiLetterUpper(name[1]);
}
