using Microsoft.Extensions.Logging;

namespace Graphport.GpuBench;

/// <summary>Keeps what a grain-side class logs ("CUDA backend: opened ...", fallbacks), for the phase's JSON.</summary>
public sealed class ListLogger<T>(List<string> messages) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (messages) messages.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
