using System.Reflection;

namespace Graphport.Analysis;

/// <summary>
/// Resolves metadata tokens of one method body to reflection objects in that method's generic context, so that a
/// call inside Helper&lt;FakeTensor&gt; resolves to members of FakeTensor rather than of an open T. Tokens that cannot
/// be resolved (a missing reference assembly, say) come back null and the interpreter stops following that path.
/// </summary>
internal sealed class TokenResolver
{
    private readonly System.Reflection.Module _module;
    private readonly Type[]? _typeArguments;
    private readonly Type[]? _methodArguments;

    public TokenResolver(MethodBase method)
    {
        _module = method.Module;
        _typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
        _methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
    }

    public MethodBase? Method(int token) => Guard(() => _module.ResolveMethod(token, _typeArguments, _methodArguments));

    public FieldInfo? Field(int token) => Guard(() => _module.ResolveField(token, _typeArguments, _methodArguments));

    public Type? Type(int token) => Guard(() => _module.ResolveType(token, _typeArguments, _methodArguments));

    public byte[]? Signature(int token) => Guard(() => _module.ResolveSignature(token));

    /// <summary>
    /// Replaces generic parameters by this context's arguments. Reflection reports local variable types of an
    /// instantiated method in terms of the definition's parameters; this closes them.
    /// </summary>
    public Type Substitute(Type type)
    {
        if (type.IsGenericParameter)
        {
            var arguments = type.DeclaringMethod is null ? _typeArguments : _methodArguments;
            return arguments is not null && type.GenericParameterPosition < arguments.Length
                ? arguments[type.GenericParameterPosition]
                : type;
        }
        if (!type.ContainsGenericParameters)
            return type;
        try
        {
            if (type.IsByRef)
                return Substitute(type.GetElementType()!).MakeByRefType();
            if (type.IsPointer)
                return Substitute(type.GetElementType()!).MakePointerType();
            if (type.IsArray)
            {
                var element = Substitute(type.GetElementType()!);
                return type.IsSZArray ? element.MakeArrayType() : element.MakeArrayType(type.GetArrayRank());
            }
            if (type.IsGenericType)
                return type.GetGenericTypeDefinition().MakeGenericType(type.GetGenericArguments().Select(Substitute).ToArray());
        }
        catch (ArgumentException)
        {
            // A constraint the substitution violates means the context does not apply; the open type is still a fair static type.
        }
        return type;
    }

    private static T? Guard<T>(Func<T?> resolve) where T : class
    {
        try
        {
            return resolve();
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (TypeLoadException)
        {
            return null;
        }
        catch (MissingMemberException)
        {
            return null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (FileLoadException)
        {
            return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
