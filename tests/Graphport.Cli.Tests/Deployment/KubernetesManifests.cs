using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Graphport.Cli.Tests.Deployment;

/// <summary>
/// deploy/k8s as Kubernetes would read it: every manifest loaded strictly into the client library's typed objects
/// (a misspelled field is an error, as `kubectl apply` with server-side validation makes it), the kustomizations as
/// plain YAML, and a container's environment resolved the way the kubelet resolves it.
/// </summary>
internal static class KubernetesManifests
{
    public static string Root { get; } = Path.Combine(RepositoryLocator.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("The tests run from inside the checkout (Cluster.sln above them)."), "deploy", "k8s");

    /// <summary>Every manifest (not the kustomizations), relative to deploy/k8s with '/' separators.</summary>
    public static IReadOnlyList<string> Files { get; } = Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
        .Where(f => Path.GetFileName(f) != "kustomization.yaml")
        .Order(StringComparer.Ordinal)
        .ToList();

    public static List<object> Load(string file) =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Root, file)), typeMap: null, strict: true);

    /// <summary>The objects `kubectl apply -k deploy/k8s/base` creates.</summary>
    public static List<object> Base() => Resources("base").SelectMany(f => Load($"base/{f}")).ToList();

    public static T Single<T>(IEnumerable<object> objects, string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(objects.OfType<T>(), o => o.Metadata.Name == name);

    public static Dictionary<object, object> Kustomization(string folder) =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(Root, folder, "kustomization.yaml")));

    public static List<string> Resources(string folder) => ((List<object>)Kustomization(folder)["resources"]).Cast<string>().ToList();

    /// <summary>The dev overlay's generated secrets: name -> key -> value.</summary>
    public static Dictionary<string, Dictionary<string, string>> DevSecrets() =>
        ((List<object>)Kustomization("dev")["secretGenerator"]).Cast<Dictionary<object, object>>().ToDictionary(
            g => (string)g["name"],
            g => ((List<object>)g["literals"]).Cast<string>().Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));

    /// <summary>
    /// A container's variables as the kubelet sets them: envFrom config maps first, then env (which wins), config
    /// map and secret keys looked up (a missing one fails the test, as it keeps the pod from starting), and the
    /// downward API's fields answered from <paramref name="pod"/>.
    /// </summary>
    public static Dictionary<string, string> Environment(V1Container container, IEnumerable<object> objects,
        IReadOnlyDictionary<string, Dictionary<string, string>> secrets, IReadOnlyDictionary<string, string> pod)
    {
        var maps = objects.OfType<V1ConfigMap>().ToDictionary(m => m.Metadata.Name, m => m.Data);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            Assert.True(source.ConfigMapRef is not null, $"{container.Name}: only config maps are expected in envFrom");
            Assert.True(maps.TryGetValue(source.ConfigMapRef.Name, out var data), $"{container.Name}: config map {source.ConfigMapRef.Name} is not in the manifests");
            foreach (var (key, value) in data) result[key] = value;
        }
        foreach (var variable in container.Env ?? [])
        {
            var from = variable.ValueFrom;
            result[variable.Name] = from switch
            {
                null => variable.Value,
                { FieldRef: { } field } => Assert.Contains(field.FieldPath, pod),
                { SecretKeyRef: { } secret } => Assert.Contains(secret.Key, Assert.Contains(secret.Name, secrets)),
                { ConfigMapKeyRef: { } key } => Assert.Contains(key.Key, Assert.Contains(key.Name, maps)),
                _ => throw new Xunit.Sdk.XunitException($"{container.Name}: {variable.Name} comes from a source these tests do not resolve"),
            };
        }
        return result;
    }

    /// <summary>A port given by name ("http") or number, as probes give it.</summary>
    public static int Port(V1Container container, IntOrString port) =>
        int.TryParse(port.Value, out int number) ? number : Assert.Single(container.Ports, p => p.Name == port.Value).ContainerPort;
}
