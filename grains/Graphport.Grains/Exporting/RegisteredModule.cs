namespace Graphport.Grains;

/// <summary>
/// A module the silos can export by name ("module:NAME"): a factory that builds it ready to trace (eval mode where
/// that matters). <see cref="DefinedIn"/> says where it came from ("UserModules.dll (UserModules.ScaledRelu)" for a
/// loaded assembly), so two registrations of one name can be told apart.
/// </summary>
public sealed record RegisteredModule(string Name, Func<Module> Create, string Description = "", string DefinedIn = "code (AddGraphportModule)");
