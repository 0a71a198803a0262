using System.Reflection;

namespace Graphport.Kernels.Codegen;

/// <summary>
/// The CUDA C library in kernels/Cuda/*.cu, embedded in the assembly: generated kernels include these by the
/// names below, and NVRTC receives them as in-memory headers.
/// </summary>
public static class CudaSources
{
    /// <summary>Include name → source, in include order.</summary>
    public static IReadOnlyList<(string IncludeName, string Source)> Headers { get; } = Load();

    public static string Prelude => string.Concat(Headers.Select(h => $"#include \"{h.IncludeName}\"\n"));

    private static IReadOnlyList<(string, string)> Load()
    {
        var assembly = typeof(CudaSources).Assembly;
        return new[] { "prelude.cu", "pointwise.cu", "reduction.cu", "norm.cu", "conv.cu", "tiles.cu", "integer_matmul.cu", "grouped_matmul.cu", "sort.cu" }
            .Select(file => ($"graphport/{file}", Read(assembly, $"Graphport.Kernels.Cuda.{file}"))).ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"Embedded CUDA source {resource} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
