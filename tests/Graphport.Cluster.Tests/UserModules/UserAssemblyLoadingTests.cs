using Graphport.Client;
using Graphport.Grains;
using Graphport.Silo;
using Graphport.Tests;
using Microsoft.Extensions.Configuration;

namespace Graphport.Cluster.Tests.UserModules;

/// <summary>What a silo says, before it starts, about assemblies it cannot load: one line per problem, naming the file and the fix.</summary>
public sealed class UserAssemblyLoadingTests : IDisposable
{
    private readonly TempDirectory folder = new("graphport-user-assemblies");

    public void Dispose() => folder.Dispose();

    private static string[] Problems(params string[] paths) => [.. Assert.Throws<UserAssemblyException>(() => UserAssemblies.Load(paths)).Problems];

    [Fact]
    public void A_loaded_assembly_reports_its_modules_and_the_operators_it_defined()
    {
        var assembly = Assert.Single(UserAssemblies.Load([FixtureAssemblies.UserModules, FixtureAssemblies.UserModules]));

        Assert.Equal("UserModules.dll: modules scaled_relu, weights_from_file; operator user_ops::relu_plus_one", assembly.Summary());
        Assert.Equal("relu(x * 3) + 1 through user_ops::relu_plus_one", assembly.Modules[0].Description);
        Assert.True(Torch.Ops.TryGet("user_ops::relu_plus_one", out _));
    }

    [Fact]
    public async Task A_missing_file_stops_an_embedded_silo_from_starting()
    {
        string missing = Path.Combine(folder.Path, "Missing.dll");

        var error = await Assert.ThrowsAsync<UserAssemblyException>(() => GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
        {
            DataDirectory = folder.Path,
            ModuleAssemblies = [missing],
        }));

        Assert.Equal($"No file {missing}: give the path of the .dll your module project builds (dotnet build puts it in bin/Debug/net10.0/NAME.dll).", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_dotnet_assembly_is_refused()
    {
        string fake = Path.Combine(folder.Path, "libkernels.dll");
        File.WriteAllText(fake, "not a PE file");

        Assert.Equal([$"{fake} is not a .NET assembly: give the .dll your module project builds, not a native library or another kind of file."], Problems(fake));
    }

    [Fact]
    public void An_assembly_without_modules_or_operators_is_refused_with_how_to_mark_them()
    {
        Assert.Equal(["UserModuleHelpers.dll defines no Graphport modules or operators: mark each Module class with [GraphportModule(\"name\")] and each static Library that defines operators with [GraphportOperators]."],
            Problems(FixtureAssemblies.UserModuleHelpers));
    }

    [Fact]
    public void Graphports_own_assemblies_are_refused()
    {
        string own = typeof(Module).Assembly.Location;

        Assert.Equal(["Graphport.Export.dll: Graphport.Export is part of this process already (Graphport itself or one of its dependencies); load assemblies of your own, which reference Graphport.Export."], Problems(own));
    }

    [Fact]
    public void Every_mistake_in_an_assembly_is_listed_with_its_type_and_fix()
    {
        var problems = Problems(FixtureAssemblies.BrokenModules);

        Assert.Equal(
        [
            "BrokenModules.dll: BrokenModules.NeedsWidth cannot be constructed: it has no public parameterless constructor; add one that builds the module with its weights.",
            "BrokenModules.dll: BrokenModules.NotAModule is marked [GraphportModule] but is not a Module; derive it from Module<TInput..., TResult>.",
            "BrokenModules.dll: module 'twice' is marked on both BrokenModules.TwiceFirst and BrokenModules.TwiceSecond; give each its own name.",
            "BrokenModules.dll: BrokenModules.BrokenOps.Library failed while defining its operators: ArgumentException: The aten namespace belongs to the built-in operators; use LibraryKind.Impl to add implementations, or choose your own namespace. (Parameter 'ns')",
        ], problems);
    }

    [Fact]
    public void Two_assemblies_defining_one_module_name_are_refused_naming_both()
    {
        Assert.Equal(["Module 'scaled_relu' is defined in UserModules.dll (UserModules.ScaledRelu) and ClashingModules.dll (ClashingModules.OtherScaledRelu); rename one ([GraphportModule(\"...\")]) or load only one of them."],
            Problems(FixtureAssemblies.UserModules, FixtureAssemblies.ClashingModules));
    }

    [Fact]
    public void A_second_copy_of_a_loaded_assembly_is_refused()
    {
        string copy = Path.Combine(folder.Path, "UserModules.dll");
        File.Copy(FixtureAssemblies.UserModules, copy);
        UserAssemblies.Load([FixtureAssemblies.UserModules]);

        Assert.Equal([$"{copy}: an assembly named UserModules is loaded already, from {FixtureAssemblies.UserModules}; load one copy of it."], Problems(copy));
    }

    [Fact]
    public void The_runnable_silo_reads_its_module_assemblies_from_Graphport_Modules()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Graphport:Modules:0"] = FixtureAssemblies.UserModules,
            ["Graphport:Modules:1"] = FixtureAssemblies.ClashingModules,
        }).Build();

        var options = GraphportSiloHost.OptionsFrom(configuration);
        options.DataDirectory = folder.Path;
        var error = Assert.Throws<UserAssemblyException>(() => GraphportSiloHost.Build(options).Dispose());

        Assert.Equal([FixtureAssemblies.UserModules, FixtureAssemblies.ClashingModules], options.Modules);
        Assert.StartsWith("Module 'scaled_relu' is defined in UserModules.dll", error.Message);
    }
}
