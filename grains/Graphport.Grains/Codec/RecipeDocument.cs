namespace Graphport.Grains;

/// <summary>The JSON graph document of <see cref="RecipeProgramCodec"/>: how to rebuild the program, and what its weights are.</summary>
internal sealed record RecipeDocument(string Format, ProgramProvenance Provenance, string Fingerprint, RecipeWeight[] Weights);

/// <summary>One weight of a recipe: "state" (parameter or buffer) or "constant", its name, dtype and shape; the bytes are a blob.</summary>
internal sealed record RecipeWeight(string Kind, string Name, string DType, long[] Shape)
{
    public string BlobName => $"{Kind}/{Name}";
}
