import ZongSyntax

/// The innermost typed expression whose span contains all of the bytes `range`, over the bodies
/// of `functions` (user functions only: library spans are offsets into another text). For the
/// language server's hover: the type of the code under the cursor (`offset..<offset + 1`) or
/// of a parenthesised group (the bytes between the parentheses, which no node spans).
///
/// Innermost means the shortest span; of equal spans the deepest node, so that `p` in `p.x`
/// (wrapped in an implicit dereference with p's own span) answers `Point*`, not `Point`.
/// Nodes Sema made up without source text of their own (empty spans) never answer.
public func innermostExpression(containing range: Range<Int>, in functions: [FunctionDef]) -> TExpr? {
    var best: TExpr?
    for function in functions where !function.isLibrary {
        // A function's span is its name only, so its body cannot be skipped by span.
        forEachNode(in: function.body) { node in
            guard case .expression(let e) = node, e.span.start <= range.lowerBound, range.upperBound <= e.span.end,
                  e.span.start < e.span.end else { return }
            // Pre-order visits a parent before its children: `<=` lets a child of equal span win.
            if let b = best, e.span.end - e.span.start > b.span.end - b.span.start { return }
            best = e
        }
    }
    return best
}
