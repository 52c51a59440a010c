//! The `spectest` module every spec script may import: print functions
//! (which print nothing here), four globals, a table and a memory.

use crate::embed::{
    Error, FuncType, Global, Linker, Memory, MemoryType, ScalarType, Store, Table, TableType, Type,
    Val,
};

/// Defines `spectest` in `linker`, its table, memory and globals in
/// `store`.
pub fn define(store: &mut Store, linker: &mut Linker) -> Result<(), Error> {
    let prints: [(&str, &[Type]); 7] = [
        ("print", &[]),
        ("print_i32", &[Type::I32]),
        ("print_i64", &[Type::I64]),
        ("print_f32", &[Type::F32]),
        ("print_f64", &[Type::F64]),
        ("print_i32_f32", &[Type::I32, Type::F32]),
        ("print_f64_f64", &[Type::F64, Type::F64]),
    ];
    for (name, params) in prints {
        let ty = FuncType {
            params: params.to_vec(),
            results: Vec::new(),
        };
        linker.func_new("spectest", name, ty, |_, _| Ok(Vec::new()));
    }
    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::F32(666.6)),
        ("global_f64", Val::F64(666.6)),
    ];
    for (name, value) in globals {
        let global = Global::new(store, value, false)?;
        linker.define("spectest", name, global);
    }
    let table = Table::new(
        store,
        TableType::new(ScalarType::FuncRef, 10, Some(20)),
        Val::FuncRef(None),
    )?;
    linker.define("spectest", "table", table);
    let memory = Memory::new(store, MemoryType::new(1, Some(2)))?;
    linker.define("spectest", "memory", memory);
    Ok(())
}
