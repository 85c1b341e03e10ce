"""The procedure's documents: notices (receipt, decision, refusal, review outcome …) kept as first
issued (``notices``, ``store``, ``layout``), the township's publicity list, and the case's signed
electronic archive (``archive``), downloaded from the case and document pages."""
