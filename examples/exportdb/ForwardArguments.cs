using System.Reflection;

namespace Graphport.ExportDB;

/// <summary>
/// Calls a module's Forward the way Export binds it: positional arguments first, then keywords by parameter
/// name, then parameter defaults. The exported program takes the same complete positional list.
/// </summary>
public static class ForwardArguments
{
    public static object?[] Bind(Module module, object?[] args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        var parameters = module.ForwardMethod.GetParameters();
        var bound = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i < args.Length) bound[i] = args[i];
            else if (kwargs is not null && kwargs.TryGetValue(parameters[i].Name!, out var value)) bound[i] = value;
            else if (parameters[i].HasDefaultValue) bound[i] = parameters[i].DefaultValue;
            else throw new ArgumentException($"{module.GetType().Name}.Forward needs a value for '{parameters[i].Name}'.");
        }
        return bound;
    }

    /// <summary>Runs Forward eagerly on real tensors.</summary>
    public static object? Invoke(Module module, object?[] inputs) =>
        module.ForwardMethod.Invoke(module, BindingFlags.DoNotWrapExceptions, null, inputs, null);
}
