namespace Graphport.Grains;

/// <summary>A module the silos can export by name ("module:NAME"): a factory that builds it ready to trace (eval mode where that matters).</summary>
public sealed record RegisteredModule(string Name, Func<Module> Create, string Description = "");
