//! Building programs from Rust: registers by type, labels, operand lists.
//!
//! ```
//! use arenavm_vm::builder::{FunctionBuilder, ProgramBuilder};
//! use arenavm_vm::isa::Instr;
//! use arenavm_vm::types::{ScalarType, Type};
//!
//! // add(a: i64, b: i64) -> i64
//! let mut f = FunctionBuilder::new("add", &[Type::I64, Type::I64], &[Type::I64]);
//! let (a, b) = (f.param(0), f.param(1));
//! let sum = f.scalar(ScalarType::I64);
//! f.push(Instr::I64Add { dst: sum, a, b });
//! f.ret(&[sum]);
//! let mut program = ProgramBuilder::new();
//! program.function(f);
//! let verified = arenavm_vm::verify(&program.finish()).unwrap();
//! ```

use arenavm_arenas::ArenaTag;

use crate::isa::{Instr, Label, ListRef, Reg};
use crate::program::{
    Export, ExternItem, Function, GlobalDecl, HostImport, MemoryDecl, Program, TableDecl,
};
use crate::types::{Bank, FuncType, ScalarType, Type};

/// Builds one function.
#[derive(Debug)]
pub struct FunctionBuilder {
    function: Function<Label>,
    params: Vec<Reg>,
    labels: u32,
}

impl FunctionBuilder {
    /// A function with these parameter and result types; a register is
    /// allocated for each parameter.
    pub fn new(name: impl Into<String>, params: &[Type], results: &[Type]) -> FunctionBuilder {
        let mut builder = FunctionBuilder {
            function: Function {
                name: name.into(),
                params: params.to_vec(),
                results: results.to_vec(),
                scalars: Vec::new(),
                cells: Vec::new(),
                slices: Vec::new(),
                lists: Vec::new(),
                branch_tables: Vec::new(),
                code: Vec::new(),
            },
            params: Vec::new(),
            labels: 0,
        };
        for &ty in params {
            let reg = builder.register(ty);
            builder.params.push(reg);
        }
        builder
    }

    /// The register of parameter `index`.
    pub fn param(&self, index: usize) -> Reg {
        self.params[index]
    }

    /// A new register of type `ty`, in the bank `ty` belongs to.
    pub fn register(&mut self, ty: Type) -> Reg {
        let bank_len = match ty.bank() {
            Bank::Scalar => {
                let scalar = ty.scalar().unwrap_or(ScalarType::I64);
                self.function.scalars.push(scalar);
                self.function.scalars.len()
            }
            Bank::Cell => {
                let Type::Cell(arena) = ty else {
                    unreachable!()
                };
                self.function.cells.push(arena);
                self.function.cells.len()
            }
            Bank::Slice => {
                let Type::Slice(arena) = ty else {
                    unreachable!()
                };
                self.function.slices.push(arena);
                self.function.slices.len()
            }
        };
        Reg((bank_len - 1) as u16)
    }

    /// A new scalar register.
    pub fn scalar(&mut self, ty: ScalarType) -> Reg {
        self.register(ty.into())
    }

    /// A new Cell register for the arena `arena`.
    pub fn cell(&mut self, arena: ArenaTag) -> Reg {
        self.register(Type::Cell(arena))
    }

    /// A new slice register for slices of arena `arena`.
    pub fn slice(&mut self, arena: ArenaTag) -> Reg {
        self.register(Type::Slice(arena))
    }

    /// A new label, to be placed with [`FunctionBuilder::bind`].
    pub fn label(&mut self) -> Label {
        self.labels += 1;
        Label(self.labels - 1)
    }

    /// Places `label` before the next instruction.
    pub fn bind(&mut self, label: Label) -> &mut Self {
        self.push(Instr::Label { name: label })
    }

    /// Appends an instruction.
    pub fn push(&mut self, instr: Instr<Label>) -> &mut Self {
        self.function.code.push(instr);
        self
    }

    /// An operand list of `regs`.
    pub fn list(&mut self, regs: &[Reg]) -> ListRef {
        self.function.lists.push(regs.to_vec());
        ListRef((self.function.lists.len() - 1) as u32)
    }

    /// A branch table; the last target is the default.
    pub fn branch_table(&mut self, targets: &[Label]) -> u32 {
        self.function.branch_tables.push(targets.to_vec());
        (self.function.branch_tables.len() - 1) as u32
    }

    /// Appends `Return` of `values`.
    pub fn ret(&mut self, values: &[Reg]) -> &mut Self {
        let values = self.list(values);
        self.push(Instr::Return { values })
    }

    /// Appends a call of function `func`.
    pub fn call(&mut self, func: u32, args: &[Reg], results: &[Reg]) -> &mut Self {
        let (args, results) = (self.list(args), self.list(results));
        self.push(Instr::Call {
            func,
            args,
            results,
        })
    }

    /// The finished function.
    pub fn finish(self) -> Function<Label> {
        self.function
    }
}

/// Builds a program.
#[derive(Debug, Default)]
pub struct ProgramBuilder {
    program: Program<Label>,
}

impl ProgramBuilder {
    /// An empty program.
    pub fn new() -> ProgramBuilder {
        ProgramBuilder::default()
    }

    /// Adds a function and returns its index.
    pub fn function(&mut self, function: FunctionBuilder) -> u32 {
        self.program.functions.push(function.finish());
        (self.program.functions.len() - 1) as u32
    }

    /// Adds a memory and returns its index.
    pub fn memory(&mut self, memory: MemoryDecl) -> u32 {
        self.program.memories.push(memory);
        (self.program.memories.len() - 1) as u32
    }

    /// Adds a global and returns its index.
    pub fn global(&mut self, global: GlobalDecl) -> u32 {
        self.program.globals.push(global);
        (self.program.globals.len() - 1) as u32
    }

    /// Adds a function type and returns its index (for `CallIndirect`).
    pub fn func_type(&mut self, ty: FuncType) -> u32 {
        self.program.types.push(ty);
        (self.program.types.len() - 1) as u32
    }

    /// Adds a function table and returns its index.
    pub fn table(&mut self, table: TableDecl) -> u32 {
        self.program.tables.push(table);
        (self.program.tables.len() - 1) as u32
    }

    /// Adds a function import and returns its index (for `CallImport`).
    pub fn import(&mut self, import: HostImport) -> u32 {
        self.program.imports.push(import);
        (self.program.imports.len() - 1) as u32
    }

    /// Exports `item` as `name`.
    pub fn export(&mut self, name: impl Into<String>, item: ExternItem) -> &mut Self {
        self.program.exports.push(Export {
            name: name.into(),
            item,
        });
        self
    }

    /// Adds a string constant and returns its index (for `StrConst`).
    pub fn string(&mut self, text: impl Into<String>) -> u32 {
        self.program.strings.push(text.into());
        (self.program.strings.len() - 1) as u32
    }

    /// The program, ready for [`verify`](fn@crate::verify).
    pub fn finish(self) -> Program<Label> {
        self.program
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "L{}", self.0)
    }
}

impl Program<Label> {
    /// The text form, with labels named `L0`, `L1`, ...
    pub fn into_text(self) -> Program<String> {
        let name = |l: Label| Ok::<_, std::convert::Infallible>(l.to_string());
        let functions = self
            .functions
            .into_iter()
            .map(|f| Function {
                code: f
                    .code
                    .into_iter()
                    .map(|i| i.map_targets(name).unwrap_or_else(|e| match e {}))
                    .collect(),
                branch_tables: f
                    .branch_tables
                    .into_iter()
                    .map(|t| t.into_iter().map(|l| l.to_string()).collect())
                    .collect(),
                name: f.name,
                params: f.params,
                results: f.results,
                scalars: f.scalars,
                cells: f.cells,
                slices: f.slices,
                lists: f.lists,
            })
            .collect();
        Program {
            memories: self.memories,
            globals: self.globals,
            strings: self.strings,
            types: self.types,
            tables: self.tables,
            imports: self.imports,
            memory_imports: self.memory_imports,
            table_imports: self.table_imports,
            global_imports: self.global_imports,
            data: self.data,
            elements: self.elements,
            exports: self.exports,
            start: self.start,
            functions,
        }
    }
}
