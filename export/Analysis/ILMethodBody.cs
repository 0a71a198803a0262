using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Graphport.Analysis;

/// <summary>
/// What the interpreter needs from one method body: decoded instructions, exception regions and local types.
/// IL comes from the assembly file through System.Reflection.Metadata when the file is the loaded one, otherwise
/// from reflection (GetILAsByteArray), which also covers assemblies loaded from bytes.
/// </summary>
internal sealed record ILMethodBody(
    ImmutableArray<ILInstruction> Instructions,
    ImmutableArray<ExceptionRegionInfo> Regions,
    ImmutableArray<Type> LocalTypes)
{
    /// <summary>Null for methods without IL: abstract, extern, runtime-implemented (delegate Invoke) or P/Invoke.</summary>
    public static ILMethodBody? TryLoad(MethodBase method, TokenResolver resolver)
    {
        if (method.IsAbstract || (method.Attributes & MethodAttributes.PinvokeImpl) != 0 ||
            (method.MethodImplementationFlags & MethodImplAttributes.CodeTypeMask) != MethodImplAttributes.IL ||
            (method.MethodImplementationFlags & MethodImplAttributes.InternalCall) != 0)
            return null;

        MethodBody? reflected;
        try
        {
            reflected = method.GetMethodBody();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        if (reflected is null)
            return null;

        // Locals come from reflection in both paths; substituting the generic context gives the instantiated types.
        var locals = reflected.LocalVariables
            .OrderBy(l => l.LocalIndex)
            .Select(l => resolver.Substitute(l.LocalType))
            .ToImmutableArray();

        return FromMetadata(method, locals) ?? FromReflection(reflected, locals);
    }

    private static ILMethodBody? FromMetadata(MethodBase method, ImmutableArray<Type> locals)
    {
        var image = AssemblyImage.For(method.Module.Assembly);
        if (image.PE is null || image.Metadata is null || method.Module != method.Module.Assembly.ManifestModule)
            return null;
        try
        {
            var handle = MetadataTokens.MethodDefinitionHandle(MetadataTokens.GetRowNumber(MetadataTokens.EntityHandle(method.MetadataToken)));
            var rva = image.Metadata.GetMethodDefinition(handle).RelativeVirtualAddress;
            if (rva == 0)
                return null;
            var block = image.PE.GetMethodBody(rva);
            var regions = block.ExceptionRegions
                .Select(r => new ExceptionRegionInfo(
                    r.Kind, r.TryOffset, r.TryLength, r.HandlerOffset, r.HandlerLength,
                    r.Kind == ExceptionRegionKind.Filter ? r.FilterOffset : 0))
                .ToImmutableArray();
            return new ILMethodBody(ILDecoder.Decode(block.GetILReader()), regions, locals);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private static ILMethodBody? FromReflection(MethodBody body, ImmutableArray<Type> locals)
    {
        var il = body.GetILAsByteArray();
        if (il is null)
            return null;
        var regions = body.ExceptionHandlingClauses
            .Select(c => new ExceptionRegionInfo(
                KindOf(c.Flags), c.TryOffset, c.TryLength, c.HandlerOffset, c.HandlerLength,
                c.Flags == ExceptionHandlingClauseOptions.Filter ? c.FilterOffset : 0))
            .ToImmutableArray();
        return new ILMethodBody(ILDecoder.Decode(il), regions, locals);
    }

    private static ExceptionRegionKind KindOf(ExceptionHandlingClauseOptions flags) => flags switch
    {
        ExceptionHandlingClauseOptions.Filter => ExceptionRegionKind.Filter,
        ExceptionHandlingClauseOptions.Finally => ExceptionRegionKind.Finally,
        ExceptionHandlingClauseOptions.Fault => ExceptionRegionKind.Fault,
        _ => ExceptionRegionKind.Catch,
    };

    /// <summary>Decodes IL through reflection only; lets tests check both sources agree.</summary>
    internal static ILMethodBody? FromReflectionOnly(MethodBase method, TokenResolver resolver)
    {
        var body = method.GetMethodBody();
        if (body is null)
            return null;
        var locals = body.LocalVariables.OrderBy(l => l.LocalIndex).Select(l => resolver.Substitute(l.LocalType)).ToImmutableArray();
        return FromReflection(body, locals);
    }
}
