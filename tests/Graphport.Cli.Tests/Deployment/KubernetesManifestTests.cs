using Graphport.Cli.Commands;
using Graphport.Silo;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace Graphport.Cli.Tests.Deployment;

/// <summary>
/// deploy/k8s read as specifications: every manifest is a valid Kubernetes object, the kustomizations list what is
/// there, and each silo deployment gives its container a configuration the silo itself accepts, with ports, probes,
/// labels and permissions that agree with what the silo and Orleans' Kubernetes agent do.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string CpuSilo = "graphport-silo";
    private const string GpuSilo = "graphport-silo-gpu";

    // What the downward API gives a pod of the deployment.
    private static readonly Dictionary<string, string> Pod = new()
    {
        ["metadata.name"] = "graphport-silo-6d5f8-x7k2p",
        ["metadata.namespace"] = "graphport",
        ["status.podIP"] = "10.244.1.17",
    };

    private static (V1Deployment Deployment, V1Container Silo, Dictionary<string, string> Environment, GraphportSiloOptions Options) Silo(string name)
    {
        var objects = KubernetesManifests.Base();
        var deployment = KubernetesManifests.Single<V1Deployment>(objects, name);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var environment = KubernetesManifests.Environment(container, objects, KubernetesManifests.DevSecrets(), Pod);
        // Graphport.Silo reads its environment this way (Program.cs): Graphport__X is the key Graphport:X.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        return (deployment, container, environment, GraphportSiloHost.OptionsFrom(configuration));
    }

    public static TheoryData<string> ManifestFiles() => new(KubernetesManifests.Files);

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Every_manifest_is_a_kubernetes_object_with_no_unknown_field(string file)
    {
        var objects = KubernetesManifests.Load(file);
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(((IMetadata<V1ObjectMeta>)o).Metadata?.Name ?? ((IMetadata<V1ObjectMeta>)o).Metadata?.GenerateName)));
    }

    [Fact]
    public void The_base_applies_every_manifest_beside_it_and_the_dev_overlay_adds_azurite_and_the_storage_secret()
    {
        var beside = KubernetesManifests.Files.Where(f => f.StartsWith("base/", StringComparison.Ordinal)).Select(f => f["base/".Length..]);
        Assert.Equal(beside.Order(StringComparer.Ordinal), KubernetesManifests.Resources("base").Order(StringComparer.Ordinal));
        Assert.Equal(["../base", "azurite.yaml"], KubernetesManifests.Resources("dev"));
        Assert.Equal("graphport", Assert.Single(KubernetesManifests.Base().OfType<V1Namespace>()).Metadata.Name);
        Assert.Equal("graphport", KubernetesManifests.Kustomization("base")["namespace"]);
        Assert.Equal("graphport", KubernetesManifests.Kustomization("dev")["namespace"]);
    }

    [Theory]
    [InlineData(CpuSilo)]
    [InlineData(GpuSilo)]
    public void Each_silo_deployment_configures_a_silo_the_silo_accepts_as_a_kubernetes_pod_on_azure_storage(string name)
    {
        var (_, container, environment, options) = Silo(name);

        options.Validate();
        Assert.True(options.Kubernetes);
        Assert.Equal((ClusteringMode.AzureTable, StorageMode.AzureBlob), (options.Clustering, options.Storage));
        Assert.Equal(KubernetesManifests.DevSecrets()["graphport-storage"]["connection-string"], options.AzureConnectionString);
        Assert.Null(options.SiloName);
        Assert.Null(options.KubernetesApiUrl);
        // Orleans' Kubernetes hosting names the silo after the pod and advertises its address.
        Assert.Equal(Pod["metadata.name"], environment["POD_NAME"]);
        Assert.Equal(Pod["metadata.namespace"], environment["POD_NAMESPACE"]);
        Assert.Equal(Pod["status.podIP"], environment["POD_IP"]);
        // The ports the silo listens on are the ports the container declares.
        Assert.Equal(options.SiloPort, KubernetesManifests.Port(container, "silo"));
        Assert.Equal(options.GatewayPort, KubernetesManifests.Port(container, "gateway"));
        Assert.Equal(options.HttpPort, KubernetesManifests.Port(container, "http"));
    }

    [Theory]
    [InlineData(CpuSilo)]
    [InlineData(GpuSilo)]
    public void Probes_and_the_metrics_scrape_ask_the_silos_http_endpoints_readiness_for_ready_and_liveness_only_for_the_device(string name)
    {
        var (_, container, _, options) = Silo(name);

        Assert.Equal(HealthEndpoints.ReadyPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(HealthEndpoints.ReadyPath, container.StartupProbe.HttpGet.Path);
        Assert.Equal(HealthEndpoints.LivePath, container.LivenessProbe.HttpGet.Path);
        foreach (var probe in new[] { container.ReadinessProbe, container.StartupProbe, container.LivenessProbe })
            Assert.Equal(options.HttpPort, KubernetesManifests.Port(container, probe.HttpGet.Port));
        // Prometheus finds the metrics endpoint on the same port.
        var annotations = Silo(name).Deployment.Spec.Template.Metadata.Annotations;
        Assert.Equal(("true", $"{options.HttpPort}", MetricsEndpoint.Path),
            (annotations["prometheus.io/scrape"], annotations["prometheus.io/port"], annotations["prometheus.io/path"]));
        // A silo gets a minute to start (join the table, open the gateway) before liveness may restart it.
        Assert.True(container.StartupProbe.PeriodSeconds * container.StartupProbe.FailureThreshold >= 60);
    }

    [Theory]
    [InlineData(CpuSilo)]
    [InlineData(GpuSilo)]
    public void The_pods_carry_the_orleans_labels_of_the_cluster_they_join_and_the_selector_picks_only_them(string name)
    {
        var (deployment, _, _, options) = Silo(name);
        var labels = deployment.Spec.Template.Metadata.Labels;

        // The selector Orleans' agent lists and watches pods by; a pod without them would be relabelled at start.
        Assert.Equal(options.ServiceId, labels["orleans/serviceId"]);
        Assert.Equal(options.ClusterId, labels["orleans/clusterId"]);
        Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        var other = KubernetesManifests.Single<V1Deployment>(KubernetesManifests.Base(), name == CpuSilo ? GpuSilo : CpuSilo);
        Assert.False(deployment.Spec.Selector.MatchLabels.All(l => other.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value),
            "one deployment's selector must not pick the other's pods");
        // Each disruption budget covers one deployment's pods.
        var budget = KubernetesManifests.Single<V1PodDisruptionBudget>(KubernetesManifests.Base(), name);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void The_gpu_silo_asks_for_one_gpu_tolerates_gpu_nodes_and_declares_itself_a_gpu_silo_and_the_cpu_silo_does_none_of_that()
    {
        var (gpuDeployment, gpu, _, gpuOptions) = Silo(GpuSilo);
        var (cpuDeployment, cpu, _, cpuOptions) = Silo(CpuSilo);

        Assert.Equal("1", gpu.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Contains(gpuDeployment.Spec.Template.Spec.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists" && t.Effect == "NoSchedule");
        var device = GraphportSiloBuilderExtensions.DeviceFromMetadata(gpuOptions.Metadata);
        Assert.Equal(("cuda:0", true), (device.ToString(), device.IsGpu));
        Assert.Equal("graphport-silo-gpu", gpu.Image);

        Assert.False(cpu.Resources.Limits?.ContainsKey("nvidia.com/gpu") ?? false);
        Assert.False(cpu.Resources.Requests?.ContainsKey("nvidia.com/gpu") ?? false);
        Assert.Null(cpuDeployment.Spec.Template.Spec.Tolerations);
        Assert.False(GraphportSiloBuilderExtensions.DeviceFromMetadata(cpuOptions.Metadata).IsGpu);
        Assert.Equal("graphport-silo", cpu.Image);
    }

    public static TheoryData<string> GraphportPods() => new() { CpuSilo, GpuSilo, "jobs/zoo-export.yaml" };

    // What Pod Security Standards' "restricted" profile asks of a pod, and a read-only root file system with the
    // folders the process writes (HOME and /tmp) mounted writable.
    [Theory]
    [MemberData(nameof(GraphportPods))]
    public void Each_graphport_pod_meets_the_restricted_pod_security_profile_with_a_read_only_root(string name)
    {
        var pod = name.EndsWith(".yaml", StringComparison.Ordinal)
            ? Assert.IsType<V1Job>(Assert.Single(KubernetesManifests.Load(name))).Spec.Template.Spec
            : KubernetesManifests.Single<V1Deployment>(KubernetesManifests.Base(), name).Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        string home = Assert.Single(container.Env, e => e.Name == "HOME").Value;
        foreach (var folder in new[] { home, "/tmp" }.Distinct())
        {
            var mount = Assert.Single(container.VolumeMounts, m => m.MountPath == folder);
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == mount.Name).EmptyDir);
        }
        var labels = Assert.Single(KubernetesManifests.Base().OfType<V1Namespace>()).Metadata.Labels;
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/warn"]);
    }

    [Fact]
    public void Cpu_silos_are_scaled_by_their_cpu_use_from_two_up_and_gpu_silos_by_hand()
    {
        var objects = KubernetesManifests.Base();
        var autoscaler = Assert.Single(objects.OfType<V2HorizontalPodAutoscaler>());
        var (deployment, container, _, _) = Silo(CpuSilo);

        Assert.Equal(("Deployment", CpuSilo), (autoscaler.Spec.ScaleTargetRef.Kind, autoscaler.Spec.ScaleTargetRef.Name));
        Assert.True(autoscaler.Spec.MinReplicas >= 2, "one silo draining must leave another serving");
        Assert.True(autoscaler.Spec.MaxReplicas > autoscaler.Spec.MinReplicas);
        var metric = Assert.Single(autoscaler.Spec.Metrics);
        Assert.Equal(("cpu", "Utilization"), (metric.Resource.Name, metric.Resource.Target.Type));
        // Utilization is measured against the container's request, and the deployment must not fight the autoscaler
        // over the replica count on every apply.
        Assert.True(container.Resources.Requests.ContainsKey("cpu"));
        Assert.Null(deployment.Spec.Replicas);
        Assert.Equal(1, Silo(GpuSilo).Deployment.Spec.Replicas);
    }

    [Fact]
    public void The_silos_service_account_may_do_on_pods_what_orleans_kubernetes_agent_does_and_nothing_else()
    {
        var objects = KubernetesManifests.Base();
        var account = Assert.Single(objects.OfType<V1ServiceAccount>());
        var binding = Assert.Single(objects.OfType<V1RoleBinding>());
        var role = KubernetesManifests.Single<V1Role>(objects, binding.RoleRef.Name);

        Assert.Equal(("Role", "rbac.authorization.k8s.io"), (binding.RoleRef.Kind, binding.RoleRef.ApiGroup));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name), (subject.Kind, subject.Name));
        foreach (var name in new[] { CpuSilo, GpuSilo })
            Assert.Equal(account.Metadata.Name, KubernetesManifests.Single<V1Deployment>(objects, name).Spec.Template.Spec.ServiceAccountName);
        // Read its own pod, label it, list and watch the cluster's pods.
        var rule = Assert.Single(role.Rules);
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["get", "list", "patch", "watch"], rule.Verbs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_zoo_export_job_runs_the_cli_against_the_cluster_the_silos_form()
    {
        var job = Assert.IsType<V1Job>(Assert.Single(KubernetesManifests.Load("jobs/zoo-export.yaml")));
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        var (_, _, _, silo) = Silo(CpuSilo);
        var environment = KubernetesManifests.Environment(container, KubernetesManifests.Base(), KubernetesManifests.DevSecrets(), Pod);

        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("graphport-cli", container.Image);
        var command = CliCommands.All.OfType<ZooExportCommand>().Single();
        Assert.Equal(command.Path, container.Args.Take(2));
        var options = container.Args.Skip(2).ToList();
        for (int i = 0; i < options.Count; i += 2)
        {
            Assert.Contains(options[i], command.Options);
            Assert.True(i + 1 < options.Count, $"{options[i]} needs a value");
        }
        Assert.Equal(silo.ClusterId, options[options.IndexOf("--cluster-id") + 1]);
        // The cluster to join is the storage account whose table the silos register in.
        Assert.Equal(silo.AzureConnectionString, environment[ClusterCommand.ClusterVariable]);
    }
}
