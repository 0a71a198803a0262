using System.Text.RegularExpressions;
using System.Xml.Linq;
using Graphport.Kernels.Interop;
using k8s.Models;

namespace Graphport.Cli.Tests.Deployment;

/// <summary>
/// deploy/docker/Dockerfile agrees with the repository and with deploy/k8s: it publishes projects that exist, starts
/// the assemblies they build, exposes the ports the silos are configured with, uses the .NET the projects target,
/// and a CUDA whose libraries the CUDA backend loads. (No Docker engine runs here; these are what a build would trip on.)
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(KubernetesManifests.Root, "..", ".."));
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Repository, "deploy", "docker", "Dockerfile"));

    /// <summary>The instructions of one build stage ("FROM ... AS name" up to the next FROM).</summary>
    private static string Stage(string name)
    {
        var match = Regex.Match(Dockerfile, $@"^FROM \S+ AS {Regex.Escape(name)}\n(?<body>.*?)(?=^FROM |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"the Dockerfile has no stage '{name}'");
        return match.Groups["body"].Value;
    }

    private static string AssemblyName(string project) =>
        XDocument.Load(Path.Combine(Repository, project)).Descendants("AssemblyName").Single().Value;

    [Fact]
    public void Each_published_project_exists_and_each_image_starts_the_assembly_it_builds()
    {
        var published = PublishPattern().Matches(Dockerfile).Select(m => (Project: m.Groups["project"].Value, Output: m.Groups["output"].Value)).ToList();
        Assert.Equal(["silo/Graphport.Silo/Graphport.Silo.csproj", "client/Graphport.Cli/Graphport.Cli.csproj"], published.Select(p => p.Project));
        Assert.All(published, p => Assert.True(File.Exists(Path.Combine(Repository, p.Project)), $"{p.Project} does not exist"));

        string silo = $"ENTRYPOINT [\"dotnet\", \"{AssemblyName("silo/Graphport.Silo/Graphport.Silo.csproj")}.dll\"]";
        Assert.Contains(silo, Stage("silo"), StringComparison.Ordinal);
        Assert.Contains(silo, Stage("silo-gpu"), StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{AssemblyName("client/Graphport.Cli/Graphport.Cli.csproj")}.dll\"]", Stage("cli"), StringComparison.Ordinal);
        Assert.Contains("COPY --from=build /out/silo .", Stage("silo-gpu"), StringComparison.Ordinal);
        Assert.Contains("COPY --from=build /out/cli .", Stage("cli"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_silo_images_expose_the_ports_the_deployments_configure_and_run_as_the_non_root_user_they_require()
    {
        var config = KubernetesManifests.Single<V1ConfigMap>(KubernetesManifests.Base(), "graphport-silo").Data;
        string expose = $"EXPOSE {config["Graphport__SiloPort"]} {config["Graphport__GatewayPort"]} {config["Graphport__HttpPort"]}";
        foreach (var stage in new[] { "silo", "silo-gpu" })
        {
            Assert.Contains(expose, Stage(stage), StringComparison.Ordinal);
            // runAsNonRoot in the pods needs a numeric non-root USER in the image.
            Assert.Matches(@"(?m)^USER (\$APP_UID|[1-9][0-9]*)$", Stage(stage));
        }
    }

    [Fact]
    public void The_images_use_the_dotnet_the_projects_target_and_a_cuda_whose_libraries_the_backend_loads()
    {
        string framework = XDocument.Load(Path.Combine(Repository, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        Assert.Equal($"net{Regex.Match(Dockerfile, @"ARG DOTNET_VERSION=(\S+)").Groups[1].Value}", framework);

        string cudaMajor = Regex.Match(Dockerfile, @"ARG CUDA_IMAGE=nvidia/cuda:(\d+)\.\d+\.\d+-runtime-ubuntu24\.04").Groups[1].Value;
        Assert.NotEmpty(cudaMajor);
        // NVRTC and cuBLASLt come from the CUDA image (/usr/local/cuda/lib64); the driver is mounted by the NVIDIA
        // container toolkit into the system library folder. The backend must look in each place for that major.
        var search = new[] { CudaLibrary.Nvrtc, CudaLibrary.CublasLt, CudaLibrary.Driver }.ToDictionary(l => l, l => CudaLibrarySearch.Candidates(l).Select(c => c.Path).ToList());
        Assert.Contains($"/usr/local/cuda/lib64/libnvrtc.so.{cudaMajor}", search[CudaLibrary.Nvrtc]);
        Assert.Contains($"/usr/local/cuda/lib64/libcublasLt.so.{cudaMajor}", search[CudaLibrary.CublasLt]);
        Assert.Contains("/usr/lib/x86_64-linux-gnu/libcuda.so.1", search[CudaLibrary.Driver]);
    }

    [Fact]
    public void The_build_context_leaves_out_build_outputs_and_bench_results()
    {
        var ignored = File.ReadAllLines(Path.Combine(Repository, ".dockerignore")).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("bench/gpu/publish/", ignored);
    }

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj) -c Release -o (?<output>\S+)")]
    private static partial Regex PublishPattern();
}
