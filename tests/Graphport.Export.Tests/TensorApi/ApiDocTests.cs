using System.Reflection;
using Graphport.Tests.Interop;

namespace Graphport.Tests.TensorApi;

/// <summary>
/// docs/api.md names every public layer, Functional function, Tensor method and Torch function there is, so a user
/// who reads it finds what exists, and one added later is not missing from it.
/// </summary>
public class ApiDocTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(TorchPython.RepositoryRoot(), "docs", "api.md"));

    private static IEnumerable<string> Missing(IEnumerable<string> names) => names.Distinct().Where(n => !Page.Contains($"`{n}`", StringComparison.Ordinal)).Order();

    [Fact]
    public void Every_layer_is_on_the_page()
    {
        var layers = typeof(Tensor).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Graphport" && typeof(Module).IsAssignableFrom(t) && t is { IsAbstract: false, IsSealed: true })
            .Select(t => t.Name);
        Assert.Empty(Missing(layers));
    }

    [Fact]
    public void Every_functional_tensor_method_and_torch_function_is_on_the_page()
    {
        var functional = typeof(Functional).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name);
        var methods = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.DeclaringType == typeof(Tensor) && !m.IsSpecialName && m.Name is not ("Equals" or "GetHashCode")).Select(m => m.Name);
        var torch = typeof(Torch).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => !m.IsSpecialName).Select(m => m.Name);
        Assert.Empty(Missing(functional));
        Assert.Empty(Missing(methods));
        Assert.Empty(Missing(torch));
    }
}
