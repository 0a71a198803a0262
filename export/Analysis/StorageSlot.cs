using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// Where a managed pointer on the evaluation stack points (ldloca, ldarga, ldflda), so that a store through it
/// (stind, stobj, a ref/out argument, a struct constructor) can carry taint back into the local, argument or field.
/// </summary>
internal readonly record struct StorageSlot(StorageKind Kind, int Index, FieldInfo? Field)
{
    public static StorageSlot None => default;

    public static StorageSlot Local(int index) => new(StorageKind.Local, index, null);

    public static StorageSlot Argument(int index) => new(StorageKind.Argument, index, null);

    public static StorageSlot OfField(FieldInfo field) => new(StorageKind.Field, 0, field);
}

/// <summary>The kinds of storage a <see cref="StorageSlot"/> can name.</summary>
internal enum StorageKind
{
    None,
    Local,
    Argument,
    Field,
}
