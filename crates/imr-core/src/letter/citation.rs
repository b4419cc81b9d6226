//! Reading the citations of a guideline line ("Decision based on MTUS ... Section(s): ...").
