//! Constant expressions: global initialisers, segment offsets and element
//! items, kept as stack programs for instantiation to evaluate.

use arenavm_vm::program::{ConstExpr, ConstOp};
use wasmparser::Operator;

use super::TranslateError;
use super::env::{ModuleEnv, heap};
use super::func::Callee;

/// The arenavm form of a validated Wasm constant expression.
pub(crate) fn const_expr(
    expr: &wasmparser::ConstExpr<'_>,
    env: &ModuleEnv,
) -> Result<ConstExpr, TranslateError> {
    let mut reader = expr.get_operators_reader();
    let mut ops = Vec::new();
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset()?;
        ops.push(match op {
            Operator::I32Const { value } => ConstOp::I32(value),
            Operator::I64Const { value } => ConstOp::I64(value),
            Operator::F32Const { value } => ConstOp::F32(value.bits()),
            Operator::F64Const { value } => ConstOp::F64(value.bits()),
            Operator::RefNull { hty } => ConstOp::RefNull(heap(hty, offset)?),
            Operator::RefFunc { function_index } => match env.callee(function_index) {
                Callee::Defined(f) => ConstOp::RefFunc(f),
                Callee::Import(i) => ConstOp::RefImport(i),
            },
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::End => break,
            other => {
                return Err(TranslateError::unsupported(
                    format!("{other:?} in a constant expression"),
                    offset,
                ));
            }
        });
    }
    Ok(ConstExpr(ops))
}
