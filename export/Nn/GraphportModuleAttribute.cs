namespace Graphport;

/// <summary>
/// Names a module class for the silos that load its assembly (<c>graphport silo --modules FILE.dll</c>,
/// <c>Graphport:Modules</c>): they export it as "module:NAME". The class must be public and concrete, derive from
/// Module&lt;TInput..., TResult&gt;, and have a public parameterless constructor; the silo builds a fresh instance
/// for each export and switches it to eval mode (<see cref="Module.Eval"/>), since the cluster serves inference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GraphportModuleAttribute(string name) : Attribute
{
    /// <summary>The NAME of "module:NAME", and the default program name its exports are stored under.</summary>
    public string Name { get; } = name;

    /// <summary>One line saying what the module computes; silos list it with the module.</summary>
    public string Description { get; set; } = "";
}
