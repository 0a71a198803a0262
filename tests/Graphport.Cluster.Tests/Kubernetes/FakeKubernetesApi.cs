using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Graphport.Cluster.Tests.Kubernetes;

/// <summary>
/// The part of a Kubernetes API server that Orleans' Kubernetes agent talks to, on loopback: read a pod, merge-patch
/// its labels, list pods by label selector, and watch them (a watch stays open and quiet). Every request is recorded,
/// so a test can say what a silo asked the API for. Pods live in one namespace.
/// </summary>
public sealed class FakeKubernetesApi : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, V1Pod> pods = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> requests = new();
    private readonly List<HttpListenerResponse> watchers = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task serving;

    public FakeKubernetesApi(string podNamespace)
    {
        Namespace = podNamespace;
        int port = Azure.AzuriteFixture.FreePort();
        Url = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public string Namespace { get; }

    public string Url { get; }

    /// <summary>"METHOD path?query" of every request so far, in order.</summary>
    public IReadOnlyList<string> Requests => requests.ToArray();

    public V1Pod? Pod(string name) => pods.GetValueOrDefault(name);

    public void AddPod(string name, IDictionary<string, string>? labels = null) =>
        pods[name] = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) },
        };

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string path = request.Url!.AbsolutePath;
        requests.Enqueue($"{request.HttpMethod} {request.Url.PathAndQuery}");
        try
        {
            string prefix = $"/api/v1/namespaces/{Namespace}/pods";
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                Reply(response, HttpStatusCode.NotFound, Status($"no such resource {path}", 404));
                return;
            }
            string name = path[prefix.Length..].TrimStart('/');
            string selector = request.QueryString["labelSelector"] ?? "";
            switch (request.HttpMethod, name.Length == 0)
            {
                case ("GET", true) when request.QueryString["watch"] is "true" or "1":
                    response.SendChunked = true;
                    response.ContentType = "application/json";
                    response.StatusCode = 200;
                    response.OutputStream.Flush();
                    lock (watchers) watchers.Add(response);
                    return; // Stays open until Dispose.
                case ("GET", true):
                    var list = new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta(), Items = pods.Values.Where(p => Matches(p, selector)).ToList() };
                    Reply(response, HttpStatusCode.OK, KubernetesJson.Serialize(list));
                    return;
                case ("GET", false):
                    if (pods.TryGetValue(name, out var pod)) Reply(response, HttpStatusCode.OK, KubernetesJson.Serialize(pod));
                    else Reply(response, HttpStatusCode.NotFound, Status($"pods \"{name}\" not found", 404));
                    return;
                case ("PATCH", false):
                    if (!pods.TryGetValue(name, out var patched))
                    {
                        Reply(response, HttpStatusCode.NotFound, Status($"pods \"{name}\" not found", 404));
                        return;
                    }
                    using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
                    {
                        var labels = JsonNode.Parse(reader.ReadToEnd())?["metadata"]?["labels"]?.AsObject();
                        foreach (var (key, value) in labels ?? [])
                            patched.Metadata.Labels[key] = value!.GetValue<string>();
                    }
                    Reply(response, HttpStatusCode.OK, KubernetesJson.Serialize(patched));
                    return;
                default:
                    Reply(response, HttpStatusCode.MethodNotAllowed, Status($"{request.HttpMethod} is not served here", 405));
                    return;
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away.
        }
    }

    // "a=b,c=d": every pair must be among the pod's labels (the only selector form the agent sends).
    private static bool Matches(V1Pod pod, string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries).All(pair =>
        {
            var parts = pair.Split('=', 2);
            return parts.Length == 2 && pod.Metadata.Labels?.TryGetValue(parts[0], out var value) == true && value == parts[1];
        });

    private static string Status(string message, int code) =>
        JsonSerializer.Serialize(new { kind = "Status", apiVersion = "v1", status = "Failure", message, code });

    private static void Reply(HttpListenerResponse response, HttpStatusCode status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public void Dispose()
    {
        stopping.Cancel();
        lock (watchers)
        {
            foreach (var response in watchers)
            {
                try { response.Abort(); }
                catch (ObjectDisposedException) { }
            }
            watchers.Clear();
        }
        listener.Close();
        try { serving.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
    }
}
