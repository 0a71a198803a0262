using Microsoft.Extensions.Hosting;

namespace Graphport.Silo;

/// <summary>A silo's host that gives its data folder back (<see cref="DataFolderLease"/>) when it is disposed, after the silo has stopped.</summary>
internal sealed class LeasedHost(IHost host, DataFolderLease lease) : IHost, IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public Task StartAsync(CancellationToken cancellationToken = default) => host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => host.StopAsync(cancellationToken);

    public void Dispose()
    {
        try
        {
            host.Dispose();
        }
        finally
        {
            lease.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (host is IAsyncDisposable asyncHost) await asyncHost.DisposeAsync();
            else host.Dispose();
        }
        finally
        {
            lease.Dispose();
        }
    }
}
