using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Graphport.Cluster.Tests;

/// <summary>Programs travel whole, so the message limit must hold real models, and an upload too large for it is refused before sending.</summary>
public sealed class MessageLimitsTests
{
    [Fact]
    public void One_message_holds_a_program_far_larger_than_orleans_default_allows()
    {
        Assert.True(MessageLimits.MaxArchiveBytes > 4L * new SiloMessagingOptions().MaxMessageBodySize, "well past Orleans' default: a BERT-base-sized archive (440 MB) must fit");
        Assert.Null(MessageLimits.ArchiveProblem(440L << 20));
        Assert.Null(MessageLimits.ArchiveProblem(MessageLimits.MaxArchiveBytes));
    }

    [Fact]
    public void An_archive_over_the_limit_is_refused_with_its_size_and_what_to_do()
    {
        var problem = MessageLimits.ArchiveProblem(MessageLimits.MaxArchiveBytes + 1);
        Assert.NotNull(problem);
        Assert.Contains("1023 MiB", problem);
        Assert.Contains("float16", problem);
    }

    [Fact]
    public void Silos_configure_the_raised_limit()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddGraphport(new GraphportSiloOptions { DataDirectory = Path.GetTempPath() }));
        using var host = builder.Build();
        var messaging = host.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
        Assert.Equal(MessageLimits.MaxMessageBodyBytes, messaging.MaxMessageBodySize);
    }
}
