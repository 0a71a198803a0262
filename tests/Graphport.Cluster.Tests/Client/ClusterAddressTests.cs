using System.Net;
using Graphport.Client;

namespace Graphport.Cluster.Tests.Client;

/// <summary>--cluster text as people write it: gateway addresses or an Azure Storage connection string.</summary>
public sealed class ClusterAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:30000", "127.0.0.1:30000")]
    [InlineData("localhost:30000", "127.0.0.1:30000")]
    [InlineData("[::1]:30001", "[::1]:30001")]
    [InlineData(" 127.0.0.1:30000 , localhost:30001 ", "127.0.0.1:30000,127.0.0.1:30001")]
    public void Gateway_addresses_become_the_clients_gateways(string address, string expected)
    {
        var options = GraphportClientOptions.ForCluster(address);

        Assert.Equal(expected, string.Join(',', options.Gateways.Select(g => g.ToString())));
        Assert.Equal("", options.AzureConnectionString);
    }

    [Fact]
    public void A_connection_string_names_the_membership_table()
    {
        var options = GraphportClientOptions.ForCluster("UseDevelopmentStorage=true");

        Assert.Empty(options.Gateways);
        Assert.Equal("UseDevelopmentStorage=true", options.AzureConnectionString);
    }

    [Theory]
    [InlineData("nonsense", "'nonsense' is not HOST:PORT with a port from 1 to 65535; write gateway addresses HOST:PORT")]
    [InlineData("127.0.0.1:0", "'127.0.0.1:0' is not HOST:PORT with a port from 1 to 65535")]
    [InlineData("127.0.0.1:30000,", "'127.0.0.1:30000,' has an empty gateway address")]
    [InlineData("127.0.0.1:1,127.0.0.1:x", "'127.0.0.1:x' in '127.0.0.1:1,127.0.0.1:x' is not HOST:PORT")]
    [InlineData("no-such-host.invalid:30000", "The gateway host 'no-such-host.invalid' in 'no-such-host.invalid:30000' does not resolve")]
    [InlineData("AccountName=x;Nonsense", "AzureConnectionString is not an Azure Storage connection string:")]
    public void Anything_else_is_refused_with_what_is_wrong_and_both_forms(string address, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => GraphportClientOptions.ForCluster(address));

        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Options_name_exactly_one_way_to_the_cluster()
    {
        var neither = Assert.Throws<ArgumentException>(() => new GraphportClientOptions().Validate());
        var both = Assert.Throws<ArgumentException>(() => new GraphportClientOptions
        {
            AzureConnectionString = "UseDevelopmentStorage=true",
            Gateways = [new IPEndPoint(IPAddress.Loopback, 30000)],
        }.Validate());

        Assert.StartsWith("Give Gateways (127.0.0.1:30000 for a silo `graphport silo` started) or AzureConnectionString", neither.Message);
        Assert.StartsWith("Give Gateways or AzureConnectionString, not both", both.Message);
    }
}
