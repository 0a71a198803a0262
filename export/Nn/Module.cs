using System.Reflection;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// Base of all modules (torch.nn.Module). Parameters, buffers and submodules are found from fields
/// (a Parameter, Buffer or Module field named `lin` becomes "lin"; a leading underscore is dropped) or
/// registered explicitly; their dotted names make up the state dict ("lin.weight").
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Parameter? Value)> registeredParameters = [];
    private readonly List<(string Name, Buffer? Value)> registeredBuffers = [];
    private readonly List<(string Name, Module Value)> registeredModules = [];

    /// <summary>Training mode (the default, as in torch); Eval() switches dropout and batch norm to inference.</summary>
    public bool Training { get; private set; } = true;

    public Module Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = mode;
        return this;
    }

    public Module Eval() => Train(false);

    protected Parameter RegisterParameter(string name, Parameter parameter)
    {
        CheckName(name);
        registeredParameters.Add((name, parameter));
        return parameter;
    }

    protected Buffer RegisterBuffer(string name, Tensor tensor, bool persistent = true)
    {
        CheckName(name);
        var buffer = tensor as Buffer ?? new Buffer(tensor, persistent);
        registeredBuffers.Add((name, buffer));
        return buffer;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        registeredModules.Add((name, module));
        return module;
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.'))
            throw new ArgumentException($"Invalid name \"{name}\": state names must be non-empty and must not contain '.'.", nameof(name));
    }

    /// <summary>Direct children in declaration order.</summary>
    public virtual IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        // A field that holds an explicitly registered module (Proj => RegisterModule("proj", ...)) is not a second
        // child: the registered name is the module's name.
        foreach (var (field, value) in Fields())
            if (value is Module m && !registeredModules.Any(r => ReferenceEquals(r.Value, m))) yield return (field, m);
        foreach (var r in registeredModules) yield return r;
    }

    /// <summary>This module and all descendants with dotted paths ("" for this one).</summary>
    public IEnumerable<(string Path, Module Module)> NamedModules(string prefix = "")
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return Walk(this, prefix, seen);

        static IEnumerable<(string, Module)> Walk(Module m, string path, HashSet<Module> seen)
        {
            if (!seen.Add(m)) yield break;
            yield return (path, m);
            foreach (var (name, child) in m.NamedChildren())
                foreach (var item in Walk(child, path.Length == 0 ? name : $"{path}.{name}", seen))
                    yield return item;
        }
    }

    /// <summary>Parameters of this module only, in declaration order.</summary>
    protected virtual IEnumerable<(string Name, Parameter Value)> OwnParameters()
    {
        foreach (var (field, value) in Fields())
            if (value is Parameter p && !registeredParameters.Any(r => ReferenceEquals(r.Value, p))) yield return (field, p);
        foreach (var (name, value) in registeredParameters)
            if (value is not null) yield return (name, value);
    }

    protected virtual IEnumerable<(string Name, Buffer Value)> OwnBuffers()
    {
        foreach (var (field, value) in Fields())
            if (value is Buffer b && !registeredBuffers.Any(r => ReferenceEquals(r.Value, b))) yield return (field, b);
        foreach (var (name, value) in registeredBuffers)
            if (value is not null) yield return (name, value);
    }

    public IEnumerable<(string Name, Parameter Value)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (path, m) in NamedModules())
            foreach (var (name, p) in m.OwnParameters())
                if (seen.Add(p)) yield return (path.Length == 0 ? name : $"{path}.{name}", p);
    }

    public IEnumerable<(string Name, Buffer Value)> NamedBuffers()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (path, m) in NamedModules())
            foreach (var (name, b) in m.OwnBuffers())
                if (seen.Add(b)) yield return (path.Length == 0 ? name : $"{path}.{name}", b);
    }

    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>
    /// Parameters and persistent buffers by dotted name, in torch's state_dict order: each module (pre-order) lists
    /// its own parameters, then its own buffers. Like torch, a tensor shared by two owners appears under both names.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (path, m) in NamedModules())
        {
            string prefix = path.Length == 0 ? "" : path + ".";
            foreach (var (name, p) in m.OwnParameters()) result.TryAdd(prefix + name, p);
            foreach (var (name, b) in m.OwnBuffers())
                if (b.Persistent) result.TryAdd(prefix + name, b);
        }
        return result;
    }

    /// <summary>Copies values into this module's parameters and buffers; shapes must match, names must exist.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Except(state.Keys).ToList();
            var unexpected = state.Keys.Except(own.Keys).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
            {
                // torch's layout: one tab-indented line per kind of problem, keys quoted.
                var message = new System.Text.StringBuilder($"Error(s) in loading state_dict for {GetType().Name}:");
                if (missing.Count > 0) message.Append($"\n\tMissing key(s) in state_dict: {string.Join(", ", missing.Select(k => $"\"{k}\""))}. ");
                if (unexpected.Count > 0) message.Append($"\n\tUnexpected key(s) in state_dict: {string.Join(", ", unexpected.Select(k => $"\"{k}\""))}. ");
                throw new ArgumentException(message.ToString());
            }
        }
        // Check every shape before copying anything, so a failed load leaves the module as it was.
        foreach (var (name, value) in state)
        {
            if (own.TryGetValue(name, out var target) && !target.Shape.Equals(value.Shape))
                throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\tsize mismatch for {name}: copying a param with shape torch.Size({value.Shape}) from checkpoint, the shape in current model is torch.Size({target.Shape}).");
        }
        foreach (var (name, value) in state)
        {
            if (!own.TryGetValue(name, out var target)) continue;
            using (Tracer.Suspend()) target.Copy_(value);
        }
    }

    /// <summary>The Forward method the generic base declares, as overridden by this module.</summary>
    public MethodInfo ForwardMethod => FindForward(GetType());

    internal static MethodInfo FindForward(Type type)
    {
        var forward = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == "Forward" && !m.IsAbstract && m.GetBaseDefinition().DeclaringType is { } d && IsModuleBase(d))
            .OrderByDescending(m => Depth(m.DeclaringType!))
            .FirstOrDefault();
        return forward ?? throw new ExportException(
            $"{type.Name} has no Forward method. Derive from Module<TInput..., TResult> (e.g. Module<Tensor, Tensor>) and override Forward.");
    }

    private static bool IsModuleBase(Type t) => t.IsGenericType && t.GetGenericTypeDefinition().Namespace == "Graphport" && t.Name.StartsWith("Module`", StringComparison.Ordinal);

    private static int Depth(Type t)
    {
        int d = 0;
        for (var x = t; x is not null; x = x.BaseType) d++;
        return d;
    }

    /// <summary>Runs Forward with boxed arguments (what Export and the ExportDB runner use).</summary>
    internal object? InvokeForward(object?[] args)
    {
        var method = ForwardMethod;
        var parameters = method.GetParameters();
        if (args.Length != parameters.Length)
            throw new ArgumentException($"{GetType().Name}.Forward takes {parameters.Length} argument(s) ({string.Join(", ", parameters.Select(p => p.Name))}) but {args.Length} were given.");
        using var scope = EnterCall();
        return method.Invoke(this, BindingFlags.DoNotWrapExceptions, null, args, null);
    }

    /// <summary>Marks the start of this module's call while tracing, so nodes record their module stack.</summary>
    protected IDisposable? EnterCall()
    {
        if (Tracer.Current is not { } tracer || !tracer.ModulePaths.TryGetValue(this, out var path) || path.Length == 0) return null;
        tracer.PushModule(path, GetType().FullName ?? GetType().Name);
        return new PopOnDispose(tracer);
    }

    private sealed class PopOnDispose(Tracer tracer) : IDisposable
    {
        public void Dispose() => tracer.PopModule();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (FieldInfo Field, string Name)[]> StateFields = new();

    private IEnumerable<(string Name, object? Value)> Fields()
    {
        foreach (var (field, name) in StateFields.GetOrAdd(GetType(), FindStateFields))
            yield return (name, field.GetValue(this));
    }

    /// <summary>Fields that can hold tensors or modules, base classes first, each in declaration order (cached per type).</summary>
    private static (FieldInfo, string)[] FindStateFields(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(Module) && !(t.IsGenericType && IsModuleBase(t)); t = t.BaseType) chain.Add(t);
        chain.Reverse();
        return chain
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).OrderBy(f => f.MetadataToken))
            .Where(f => typeof(Tensor).IsAssignableFrom(f.FieldType) || typeof(Module).IsAssignableFrom(f.FieldType) || f.FieldType == typeof(object))
            .Select(f => (f, CleanName(f.Name)))
            .ToArray();
    }

    private static string CleanName(string fieldName)
    {
        // Auto-property backing fields are named <Name>k__BackingField.
        if (fieldName.StartsWith('<'))
        {
            int close = fieldName.IndexOf('>');
            if (close > 1) return fieldName[1..close];
        }
        return fieldName.Length > 1 && fieldName[0] == '_' ? fieldName[1..] : fieldName;
    }

    public override string ToString() => ModuleText(this, 0);

    private static string ModuleText(Module m, int indent)
    {
        var children = m.NamedChildren().ToList();
        string head = m.ExtraRepr();
        if (children.Count == 0) return $"{m.GetType().Name}({head})";
        var pad = new string(' ', indent + 2);
        var lines = children.Select(c => $"{pad}({c.Name}): {ModuleText(c.Module, indent + 2)}");
        return $"{m.GetType().Name}({head}\n{string.Join("\n", lines)}\n{new string(' ', indent)})";
    }

    /// <summary>Extra text inside the module's repr, e.g. "in_features=100, out_features=10, bias=True".</summary>
    protected virtual string ExtraRepr() => "";
}
