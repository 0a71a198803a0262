namespace Graphport;

/// <summary>
/// Marks a public static field or property holding a <see cref="Library"/> whose operators the silos define when they
/// load the assembly (<c>graphport silo --modules FILE.dll</c>, <c>Graphport:Modules</c>): reading the member runs
/// its initializer, which defines the operators. A static member is defined once per process, so the same
/// <c>MyOps.Library</c> serves your own code (touch it before exporting) and a silo that loads the assembly.
/// </summary>
/// <example><code>
/// public static class MyOps
/// {
///     [GraphportOperators]
///     public static readonly Library Library = Define();
///
///     private static Library Define()
///     {
///         var lib = new Library("my_ops", LibraryKind.Def);
///         lib.Define("plus_one(Tensor x) -> Tensor");
///         lib.Impl("plus_one", (Tensor x) => x + 1);
///         lib.ImplAbstract("plus_one", (Tensor x) => Torch.EmptyLike(x));
///         return lib;
///     }
/// }
/// </code></example>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class GraphportOperatorsAttribute : Attribute;
