namespace Graphport.Silo;

/// <summary>
/// A silo could not take its data folder: a standing silo serves it (<see cref="Owner"/>, null while that silo has not
/// described itself yet), or, for a standing silo, commands running embedded silos use it.
/// </summary>
public sealed class DataFolderInUseException(string message, string dataDirectory, DataFolderOwner? owner) : Exception(message)
{
    public string DataDirectory { get; } = dataDirectory;

    public DataFolderOwner? Owner { get; } = owner;
}
