using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Graphport.Grains;

/// <summary>
/// Writes grain state whose change can be made again to a fresher copy: a version appended, a name added. Orleans keeps
/// one activation per grain within a cluster, but two graphport commands on one data folder run two embedded silos,
/// which are two clusters: each has its own activation of a program, and the storage's etag refuses the one that writes
/// second. That one reads what the other stored and makes its change again, a few times at most.
/// </summary>
internal static class StaleStateRetry
{
    public const int MaxAttempts = 5;

    /// <param name="apply">
    /// Makes the change to <paramref name="state"/>'s current State and returns the result with a way to undo it, or
    /// with no undo when there is nothing to write (the change is there already).
    /// </param>
    /// <returns>The result of the change that was written.</returns>
    /// <exception cref="InconsistentStateException">Another writer won every attempt; the change is undone.</exception>
    public static async Task<T> WriteAsync<TState, T>(IPersistentState<TState> state, Func<StateChange<T>> apply, ILogger logger, string what)
    {
        for (int attempt = 1; ; attempt++)
        {
            var change = apply();
            if (change.Undo is null) return change.Result;
            try
            {
                await state.WriteStateAsync();
                return change.Result;
            }
            catch (InconsistentStateException) when (attempt < MaxAttempts)
            {
                change.Undo();
                logger.LogInformation("{What} was changed by another writer; reading it again (attempt {Attempt} of {Max})", what, attempt + 1, MaxAttempts);
                await state.ReadStateAsync();
                // Two writers that keep colliding should not do so in lockstep.
                await Task.Delay(Random.Shared.Next(1, 10 * attempt));
            }
            catch
            {
                change.Undo();
                throw;
            }
        }
    }
}

/// <summary>A change made to grain state in memory: its result, and how to take it back (null: nothing changed).</summary>
internal readonly record struct StateChange<T>(T Result, Action? Undo);
