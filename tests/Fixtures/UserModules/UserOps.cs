using Graphport;
using static Graphport.Torch;

namespace UserModules;

/// <summary>The custom operator of this library: relu(x) + 1, standing in for a user's own kernel.</summary>
public static class UserOps
{
    public const string ReluPlusOne = "user_ops::relu_plus_one";

    [GraphportOperators]
    public static readonly Library Library = Define();

    private static Library Define()
    {
        var library = new Library("user_ops", LibraryKind.Def);
        library.Define("relu_plus_one(Tensor x) -> Tensor");
        library.Impl("relu_plus_one", (Tensor x) => Relu(x) + 1);
        library.ImplAbstract("relu_plus_one", (Tensor x) => EmptyLike(x));
        return library;
    }
}
