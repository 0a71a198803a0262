namespace Graphport;

/// <summary>
/// torch's tensor layouts, as a factory's layout= argument holds them; the value is the schema's Layout number
/// (torch/_export/serde/schema.py). Graphport's tensors are dense and strided, so Strided is the only one: torch's
/// decompositions write layout=torch.strided into the factories they emit, and so do Graphport's, and a program that
/// asks for a sparse layout is refused when it loads rather than run dense.
/// </summary>
public enum Layout
{
    Strided = 7,
}
