using System.Reflection;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>
/// Every public Tensor method, operator, Torch and Functional function that takes a number records an op torch accepts with
/// that number, so the program saves (and loads in torch): x % 4 is remainder.Scalar, not remainder.Tensor with a
/// number, which torch refuses to run and the archive writer refuses to write.
/// </summary>
public class NumberArgumentsSaveTests
{
    private static bool Simple(ParameterInfo p) =>
        p.ParameterType == typeof(double) || p.ParameterType == typeof(long) || p.ParameterType == typeof(Tensor)
        || p.ParameterType == typeof(bool) || p.HasDefaultValue;

    private static bool TakesANumber(MethodInfo m) =>
        m.ReturnType == typeof(Tensor) && m.GetParameters().Any(p => p.ParameterType == typeof(double) || p.ParameterType == typeof(long))
        && m.GetParameters().All(Simple);

    private static IEnumerable<MethodInfo> MethodsTakingNumbers() =>
        typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(TakesANumber)
            .Concat(new[] { typeof(Torch), typeof(Functional) }.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
                .Where(m => m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Tensor)).Where(TakesANumber));

    private static object? Argument(ParameterInfo p, Tensor x) =>
        p.ParameterType == typeof(Tensor) ? x
        : p.ParameterType == typeof(double) ? 2.0
        : p.ParameterType == typeof(long) ? (p.Name!.Contains("dim", StringComparison.OrdinalIgnoreCase) ? 0L : 2L)
        : p.ParameterType == typeof(bool) ? false
        : p.DefaultValue;

    [Fact]
    public void Methods_that_take_a_number_record_ops_whose_programs_save()
    {
        var methods = MethodsTakingNumbers().ToList();
        Assert.True(methods.Count > 50, $"found only {methods.Count} methods taking a number");
        var refused = new List<string>();
        int saved = 0;
        foreach (var dtype in new[] { DType.Float32, DType.Int64 })
            foreach (var method in methods)
            {
                Tensor Call(Tensor x) => (Tensor)method.Invoke(method.IsStatic ? null : x,
                    method.GetParameters().Select(p => Argument(p, x)).ToArray())!;
                var sample = dtype == DType.Float32 ? Rand(3, 4) + 0.5 : Arange(12).Reshape(3, 4) + 1L;
                // Only what runs eagerly on these arguments is exported (an integer tensor has no Sqrt_, ...).
                try { Call(sample); }
                catch (TargetInvocationException) { continue; }
                var program = Export((Func<Tensor, Tensor>)Call, [sample]);
                try
                {
                    using var archive = new MemoryStream();
                    program.Save(archive);
                    saved++;
                }
                catch (ExportException e)
                {
                    refused.Add($"{method} on {dtype}: {e.Message}");
                }
            }
        Assert.True(refused.Count == 0, string.Join("\n", refused));
        Assert.True(saved > 100, $"only {saved} programs saved");
    }
}
