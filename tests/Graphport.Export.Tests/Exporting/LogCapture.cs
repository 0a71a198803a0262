using Microsoft.Extensions.Logging;

namespace Graphport.Tests.Exporting;

/// <summary>Routes Graphport's log channels into a list for the duration of a test.</summary>
internal sealed class LogCapture : IDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public LogCapture(List<string> lines)
    {
        Gate.Wait();
        GraphportLogging.UseLoggerFactory(LoggerFactory.Create(b => b.AddProvider(new ListProvider(lines)).SetMinimumLevel(LogLevel.Debug)));
    }

    public void Dispose()
    {
        GraphportLogging.SetLogs();
        Gate.Release();
    }

    private sealed class ListProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose() { }
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines) lines.Add(formatter(state, exception));
        }
    }
}
