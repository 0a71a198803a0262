using Graphport.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// A Graphport silo process. Options: --Graphport:Clustering=AzureTable --Graphport:AzureConnectionString=...
// --Graphport:Storage=AzureBlob --Graphport:SiloPort=11112 --Graphport:GatewayPort=30001 --Orleans:Metadata:gpu=true
// --Graphport:HttpPort=8080 --Graphport:Kubernetes=true (in a pod: deploy/k8s, docs/kubernetes.md)
// --Graphport:Modules:0=/modules/MyModules.dll (user assemblies: [GraphportModule] classes, [GraphportOperators] libraries)
// (or Graphport__... / Orleans__Metadata__... environment variables). Stops on Ctrl+C / SIGTERM.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
GraphportSiloOptions options;
try
{
    options = GraphportSiloHost.OptionsFrom(configuration);
    options.Validate();
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine($"Invalid silo options: {e.Message}");
    return 2;
}
IHost built;
try
{
    built = GraphportSiloHost.Build(options);
}
catch (DataFolderInUseException e)
{
    Console.Error.WriteLine($"The silo did not start: {e.Message}");
    return 1;
}
catch (Graphport.Grains.UserAssemblyException e)
{
    Console.Error.WriteLine($"Invalid silo options: Graphport:Modules: {e.Message}");
    return 2;
}
using var host = built;
try
{
    await host.RunAsync();
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A silo that cannot start (a port taken, storage unreachable, a pod variable missing) says why in one line and
    // exits 1, rather than ending on an unhandled exception; the host's log above has the details.
    Console.Error.WriteLine($"The silo stopped: {e.GetType().Name}: {e.Message}");
    return 1;
}
return 0;
