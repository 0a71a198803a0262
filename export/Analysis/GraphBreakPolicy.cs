using System.Reflection;
using System.Runtime.CompilerServices;

namespace Graphport.Analysis;

/// <summary>
/// Which members make code uncapturable, and which code is the user's to inspect. Everything is named by
/// strings so the analysis has no compile-time dependency on the tensor library it polices; tests (or another
/// tensor library) build their own policy with an object initializer and keep the defaults they do not name.
/// </summary>
public sealed class GraphBreakPolicy
{
    /// <summary>The real Graphport API: Graphport.Tensor and Graphport.Module.</summary>
    public static GraphBreakPolicy Default { get; } = new();

    /// <summary>Full names of tensor types; subclasses (Graphport.Parameter) count too.</summary>
    public IReadOnlyCollection<string> TensorTypes { get; init; } = ["Graphport.Tensor"];

    /// <summary>
    /// Full names, without generic arity, of module base classes. Submodules run through the library's Call,
    /// which the IL of the parent never names, so any user class deriving from one of these has its Forward inspected
    /// whenever the parent touches a field, local, argument or call of that type.
    /// </summary>
    public IReadOnlyCollection<string> ModuleTypes { get; init; } = ["Graphport.Module"];

    /// <summary>Static members of a tensor type that turn a tensor into a C# bool; calling one means a branch on tensor data.</summary>
    public IReadOnlyCollection<string> TruthinessMethods { get; init; } = ["op_True", "op_False", "op_Implicit", "op_Explicit"];

    /// <summary>Members of a tensor type that expose raw storage. set_Data is listed beside get_Data because a setter would bypass the graph just the same.</summary>
    public IReadOnlyCollection<string> DataAccessMethods { get; init; } = ["get_Data", "set_Data", "ToArray", "DataAs", "SetData"];

    /// <summary>Members of a tensor type whose result is a host scalar read from tensor data: the source of data-dependent values.</summary>
    public IReadOnlyCollection<string> ItemMethods { get; init; } = ["Item", "ToScalar"];

    /// <summary>Members whose result depends on object identity, whatever the receiver.</summary>
    public IReadOnlyCollection<QualifiedMember> IdentityMembers { get; init; } =
    [
        new("System.Runtime.CompilerServices.RuntimeHelpers", "GetHashCode"),
        new("System.Object", "ReferenceEquals"),
        new("System.Runtime.InteropServices.GCHandle", "Alloc"),
    ];

    /// <summary>Instance methods that depend on identity only when the receiver is statically a tensor (tensors do not hash by value).</summary>
    public IReadOnlyCollection<string> TensorIdentityMethods { get; init; } = ["GetHashCode"];

    /// <summary>The method a module runs; inspected on every submodule type found.</summary>
    public string ForwardMethodName { get; init; } = "Forward";

    /// <summary>
    /// Assemblies that are not user code when their name is one of these or starts with one followed by '.'.
    /// Matching whole dotted segments keeps "SystemsModel" user code while covering "System.Private.CoreLib".
    /// </summary>
    public IReadOnlyCollection<string> TrustedAssemblyPrefixes { get; init; } = ["System", "Microsoft", "mscorlib", "netstandard", "xunit"];

    /// <summary>
    /// Assemblies trusted by exact name. The engine is listed here rather than as a prefix so that assemblies named
    /// after it (Graphport.Export.Tests, whose models are user code) are still inspected.
    /// </summary>
    public IReadOnlyCollection<string> TrustedAssemblyNames { get; init; } = ["Graphport.Export"];

    // Classification is asked once per instruction; reflection name walks are not free, so answers are memoised.
    // Weak keys (answers boxed) so the long-lived Default policy does not keep collectible assemblies from unloading.
    private readonly ConditionalWeakTable<Type, object> _tensorTypes = new();
    private readonly ConditionalWeakTable<Type, object> _moduleTypes = new();
    private readonly ConditionalWeakTable<Assembly, object> _userAssemblies = new();

    internal bool IsTensorType(Type? type)
    {
        if (type is null)
            return false;
        if (type.IsByRef || type.IsPointer)
            type = type.GetElementType()!;
        return (bool)_tensorTypes.GetValue(type, t => TypeNames.IsOrDerivesFrom(t, TensorTypes));
    }

    /// <summary>A user-code class deriving from a module base: one whose Forward is user code to inspect.</summary>
    internal bool IsUserModuleType(Type type) =>
        (bool)_moduleTypes.GetValue(type, t =>
            t.IsClass && IsUserCode(t.Assembly) && !IsModuleBase(t) && TypeNames.IsOrDerivesFrom(t, ModuleTypes));

    internal bool IsModuleBase(Type type) => ModuleTypes.Contains(TypeNames.WithoutArity(type), StringComparer.Ordinal);

    internal bool IsUserCode(Assembly assembly) => (bool)_userAssemblies.GetValue(assembly, a =>
    {
        var name = a.GetName().Name ?? string.Empty;
        if (TrustedAssemblyNames.Contains(name, StringComparer.Ordinal))
            return false;
        foreach (var prefix in TrustedAssemblyPrefixes)
        {
            if (name.Equals(prefix, StringComparison.Ordinal) ||
                (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length] == '.'))
                return false;
        }
        return true;
    });

    internal bool IsUserCode(MethodBase method) => method.DeclaringType is { } type && IsUserCode(type.Assembly);

    internal bool IsTruthiness(MethodBase method) =>
        method is MethodInfo { IsStatic: true } info && info.ReturnType == typeof(bool) &&
        TruthinessMethods.Contains(method.Name, StringComparer.Ordinal) && IsTensorType(method.DeclaringType);

    internal bool IsDataAccess(MethodBase method) =>
        DataAccessMethods.Contains(method.Name, StringComparer.Ordinal) && IsTensorType(method.DeclaringType);

    /// <summary>
    /// Item()/ToScalar() reads a plain number the trace cannot follow. Item&lt;SymInt&gt;() is exempt: it yields a
    /// symbolic (unbacked) size that tracing tracks, and branches on it are decided or rejected while tracing.
    /// </summary>
    internal bool IsItemSource(MethodBase method) =>
        ItemMethods.Contains(method.Name, StringComparer.Ordinal) && IsTensorType(method.DeclaringType)
        && !(method is MethodInfo { IsGenericMethod: true } generic && generic.GetGenericArguments().Any(a => a.FullName == "Graphport.SymInt"));

    /// <summary>
    /// Identity-dependent calls. <paramref name="receiverType"/> is the static type of the receiver on the evaluation
    /// stack (or the constrained. type), which is what tells Object.GetHashCode on a tensor from an ordinary one.
    /// </summary>
    internal bool IsIdentity(MethodBase method, Type? receiverType)
    {
        if (method.DeclaringType is { } declaring)
        {
            var typeName = TypeNames.WithoutArity(declaring);
            foreach (var member in IdentityMembers)
            {
                if (member.Member == method.Name && member.Type == typeName)
                    return true;
            }
        }
        return !method.IsStatic && method.GetParameters().Length == 0 &&
               TensorIdentityMethods.Contains(method.Name, StringComparer.Ordinal) &&
               (IsTensorType(receiverType) || IsTensorType(method.DeclaringType));
    }
}
