using System.Collections.Concurrent;
using System.Reflection;

namespace Graphport.Grains;

/// <summary>
/// Loads the user's assemblies into this process for its silos: each in its own <see cref="UserAssemblyLoadContext"/>,
/// its [GraphportModule] classes becoming <see cref="RegisteredModule"/>s and its [GraphportOperators] libraries
/// defining their operators. An assembly loads once per process (operators live in the process-wide registry), so
/// the CLI that checks --modules and the embedded silo it starts share one load.
/// </summary>
public static class UserAssemblies
{
    private static readonly ConcurrentDictionary<string, Lazy<UserAssembly>> ByPath = new(StringComparer.Ordinal);

    // Simple name -> the path it was loaded from: a second copy of one assembly would define its operators twice.
    private static readonly Dictionary<string, string> PathsByName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Loads each assembly (paths relative to the working directory; one listed twice loads once) and checks that
    /// module names are unique across them. Throws <see cref="UserAssemblyException"/> listing every problem found.
    /// </summary>
    public static IReadOnlyList<UserAssembly> Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var problems = new List<string>();
        var assemblies = new List<UserAssembly>();
        foreach (var given in paths)
        {
            try
            {
                var assembly = LoadOne(given);
                if (!assemblies.Contains(assembly)) assemblies.Add(assembly);
            }
            catch (UserAssemblyException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        foreach (var twice in assemblies.SelectMany(a => a.Modules).GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"Module '{twice.Key}' is defined in {string.Join(" and ", twice.Select(m => m.DefinedIn))}; rename one ([GraphportModule(\"...\")]) or load only one of them.");
        if (problems.Count > 0) throw new UserAssemblyException(problems);
        return assemblies;
    }

    private static UserAssembly LoadOne(string given)
    {
        if (string.IsNullOrWhiteSpace(given)) throw new UserAssemblyException("A module assembly path is empty; give the path of the .dll your module project builds.");
        string path = System.IO.Path.GetFullPath(given);
        if (Directory.Exists(path)) throw new UserAssemblyException($"{given} is a folder; give the assembly inside it (bin/Release/net10.0/NAME.dll).");
        if (!File.Exists(path)) throw new UserAssemblyException($"No file {given}: give the path of the .dll your module project builds (dotnet build puts it in bin/Debug/net10.0/NAME.dll).");
        // Lazy keeps a failure too: loading the same broken file again says the same thing rather than half-loading it twice.
        return ByPath.GetOrAdd(path, p => new Lazy<UserAssembly>(() => Inspect(p))).Value;
    }

    private static UserAssembly Inspect(string path)
    {
        string file = System.IO.Path.GetFileName(path);
        AssemblyName identity;
        try
        {
            identity = AssemblyName.GetAssemblyName(path);
        }
        catch (BadImageFormatException)
        {
            throw new UserAssemblyException($"{path} is not a .NET assembly: give the .dll your module project builds, not a native library or another kind of file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserAssemblyException($"Cannot read {path}: {e.Message}");
        }
        string name = identity.Name ?? file;
        if (UserAssemblyLoadContext.IsHostAssembly(name))
            throw new UserAssemblyException($"{file}: {name} is part of this process already (Graphport itself or one of its dependencies); load assemblies of your own, which reference Graphport.Export.");
        lock (PathsByName)
        {
            if (PathsByName.TryGetValue(name, out var other))
                throw new UserAssemblyException($"{path}: an assembly named {name} is loaded already, from {other}; load one copy of it.");
            PathsByName[name] = path;
        }

        Type[] types;
        try
        {
            types = new UserAssemblyLoadContext(path).LoadFromAssemblyPath(path).GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            string why = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message ?? e.Message;
            throw new UserAssemblyException($"{file}: some of its types could not be loaded ({why}); put the assembly's dependencies beside it (dotnet publish collects them).");
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or FileNotFoundException)
        {
            throw new UserAssemblyException($"{file} could not be loaded: {e.Message}");
        }

        var problems = new List<string>();
        var modules = FindModules(types, file, problems);
        var operators = DefineOperators(types, file, problems);
        if (problems.Count == 0 && modules.Count == 0 && operators.Count == 0)
            problems.Add($"{file} defines no Graphport modules or operators: mark each Module class with [GraphportModule(\"name\")] and each static Library that defines operators with [GraphportOperators].");
        if (problems.Count > 0) throw new UserAssemblyException(problems);
        return new UserAssembly(path, name, modules, operators);
    }

    private static List<RegisteredModule> FindModules(Type[] types, string file, List<string> problems)
    {
        var modules = new List<RegisteredModule>();
        var typesByName = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type.GetCustomAttribute<GraphportModuleAttribute>() is not { } attribute) continue;
            string where = $"{file}: {type.FullName}";
            string? problem =
                !ProgramRef.IsValidName(attribute.Name) ? $"{where}: [GraphportModule(\"{attribute.Name}\")] is not a usable module name: use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit."
                : !type.IsVisible ? $"{where} is marked [GraphportModule] but is not public; make it public so silos can build it."
                : !typeof(Module).IsAssignableFrom(type) ? $"{where} is marked [GraphportModule] but is not a Module; derive it from Module<TInput..., TResult>."
                : type.IsAbstract || type.ContainsGenericParameters ? $"{where} cannot be constructed: it is {(type.IsAbstract ? "abstract" : "generic")}; mark a concrete class."
                : type.GetConstructor(Type.EmptyTypes) is null ? $"{where} cannot be constructed: it has no public parameterless constructor; add one that builds the module with its weights."
                : typesByName.TryGetValue(attribute.Name, out var first) ? $"{file}: module '{attribute.Name}' is marked on both {first.FullName} and {type.FullName}; give each its own name."
                : null;
            if (problem is not null)
            {
                problems.Add(problem);
                continue;
            }
            typesByName[attribute.Name] = type;
            string definedIn = $"{file} ({type.FullName})";
            modules.Add(new RegisteredModule(attribute.Name, () => Construct(type, attribute.Name, definedIn), attribute.Description, definedIn));
        }
        return modules;
    }

    /// <summary>A fresh module in eval mode; a constructor that throws is the module's failure, named with its type.</summary>
    private static Module Construct(Type type, string name, string definedIn)
    {
        Module module;
        try
        {
            module = (Module)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new GraphportException(GraphportErrorKind.ExportFailed,
                $"Module '{name}' from {definedIn} could not be constructed: its constructor threw {inner.GetType().Name}: {inner.Message}");
        }
        module.Eval();
        return module;
    }

    /// <summary>Reads every [GraphportOperators] member, which runs its initializer and so defines its library's operators.</summary>
    private static List<string> DefineOperators(Type[] types, string file, List<string> problems)
    {
        const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var operators = new List<string>();
        foreach (var type in types)
        {
            foreach (var member in type.GetMembers(Members).Where(m => m.IsDefined(typeof(GraphportOperatorsAttribute), inherit: false)))
            {
                string where = $"{file}: {type.FullName}.{member.Name}";
                var (isStatic, memberType) = member switch
                {
                    FieldInfo f => (f.IsStatic, f.FieldType),
                    PropertyInfo p => (p.GetMethod?.IsStatic == true, p.PropertyType),
                    _ => (false, typeof(void)),
                };
                if (!isStatic)
                {
                    problems.Add($"{where} is marked [GraphportOperators] but is not static; keep the Library in a static field or property so its operators are defined once per process.");
                    continue;
                }
                if (!typeof(Library).IsAssignableFrom(memberType))
                {
                    problems.Add($"{where} is marked [GraphportOperators] but holds a {memberType.Name}, not a Library.");
                    continue;
                }
                object? value;
                try
                {
                    value = member is FieldInfo field ? field.GetValue(null) : ((PropertyInfo)member).GetValue(null);
                }
                catch (Exception e) when (e is TypeInitializationException or TargetInvocationException)
                {
                    var cause = e.GetBaseException();
                    problems.Add($"{where} failed while defining its operators: {cause.GetType().Name}: {cause.Message}");
                    continue;
                }
                if (value is not Library library)
                {
                    problems.Add($"{where} is null; initialize it with the Library that defines the operators.");
                    continue;
                }
                operators.AddRange(library.DefinedOperators.Select(op => op.Name));
            }
        }
        return operators;
    }
}
