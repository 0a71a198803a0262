using System.Collections;
using System.Reflection;

namespace Graphport;

/// <summary>
/// Snapshots the fields of every module before tracing and checks them after: Forward assigning a new tensor
/// (or collection of tensors) to a module field cannot be exported (ExportDB's model_attr_mutation), and would
/// otherwise leave traced tensors behind in the module. Those fields are restored; other fields keep their writes.
/// </summary>
internal sealed class AttributeMutationGuard
{
    private readonly List<(object Owner, FieldInfo Field, object? Value)> snapshot = [];

    public AttributeMutationGuard(Module root)
    {
        foreach (var (_, module) in root.NamedModules())
            for (var type = module.GetType(); type is not null && type != typeof(Module) && type.Assembly != typeof(Module).Assembly; type = type.BaseType)
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (!field.FieldType.IsValueType) snapshot.Add((module, field, field.GetValue(module)));
    }

    /// <summary>Restores every changed field and throws if a change involved tensors.</summary>
    public void RestoreAndCheck()
    {
        var changed = new List<string>();
        foreach (var (owner, field, value) in snapshot)
        {
            var now = field.GetValue(owner);
            if (ReferenceEquals(now, value) || !(HoldsTensors(now) || HoldsTensors(value))) continue;
            // Only tensor-holding fields are put back: they would otherwise keep traced tensors.
            field.SetValue(owner, value);
            changed.Add($"{owner.GetType().Name}.{field.Name}");
        }
        if (changed.Count > 0)
            throw new ExportException(
                $"Forward assigns new values to module attributes holding tensors ({string.Join(", ", changed)}). Export captures one functional graph and cannot record attribute reassignment; " +
                "keep state in a Buffer and update it in place (buffer.Copy_(newValue)), or return the new value. The attributes were restored.");
    }

    private static bool HoldsTensors(object? value) => value switch
    {
        Tensor => true,
        IEnumerable items and not string => items.Cast<object?>().Any(i => i is Tensor),
        _ => false,
    };
}
