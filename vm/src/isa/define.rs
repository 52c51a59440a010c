//! The macro that turns the instruction table into code. See `table.rs`.

/// Pushes the register operand described by a field, if it is one.
macro_rules! push_operand {
    ($ops:ident, $name:ident; write $ty:ident) => {
        push_operand!(@ $ops, $name, Write, Scalar($crate::types::ScalarType::$ty))
    };
    ($ops:ident, $name:ident; read $ty:ident) => {
        push_operand!(@ $ops, $name, Read, Scalar($crate::types::ScalarType::$ty))
    };
    ($ops:ident, $name:ident; write_any) => { push_operand!(@ $ops, $name, Write, AnyScalar) };
    ($ops:ident, $name:ident; read_any) => { push_operand!(@ $ops, $name, Read, AnyScalar) };
    ($ops:ident, $name:ident; write_cell $a:ident) => {
        push_operand!(@ $ops, $name, Write, Cell(arenavm_arenas::ArenaTag::$a))
    };
    ($ops:ident, $name:ident; read_cell $a:ident) => {
        push_operand!(@ $ops, $name, Read, Cell(arenavm_arenas::ArenaTag::$a))
    };
    ($ops:ident, $name:ident; write_cell_any) => { push_operand!(@ $ops, $name, Write, AnyCell) };
    ($ops:ident, $name:ident; read_cell_any) => { push_operand!(@ $ops, $name, Read, AnyCell) };
    ($ops:ident, $name:ident; write_slice $a:ident) => {
        push_operand!(@ $ops, $name, Write, Slice(arenavm_arenas::ArenaTag::$a))
    };
    ($ops:ident, $name:ident; read_slice $a:ident) => {
        push_operand!(@ $ops, $name, Read, Slice(arenavm_arenas::ArenaTag::$a))
    };
    ($ops:ident, $name:ident; write_slice_any) => { push_operand!(@ $ops, $name, Write, AnySlice) };
    ($ops:ident, $name:ident; read_slice_any) => { push_operand!(@ $ops, $name, Read, AnySlice) };
    (@ $ops:ident, $name:ident, $access:ident, $($ty:tt)*) => {
        $ops.push($crate::isa::Operand {
            field: stringify!($name),
            reg: *$name,
            access: $crate::isa::Access::$access,
            ty: $crate::isa::OperandType::$($ty)*,
        })
    };
    ($ops:ident, $name:ident; $($other:tt)*) => {
        let _ = $name;
    };
}

/// A field with its branch target mapped through `$f`.
macro_rules! map_field {
    ($f:ident, $name:ident; target) => {
        $f($name)?
    };
    ($f:ident, $name:ident; $($other:tt)*) => {
        $name
    };
}

/// The default handler of a pure instruction: decode the operands, apply
/// the semantics function, encode the result (or trap, or branch).
macro_rules! pure_body {
    ($h:ident; binary $f:ident; $dst:ident, $a:ident, $b:ident) => {{
        let v = $crate::semantics::$f(
            $crate::types::ScalarValue::from_bits($h.scalar($a)),
            $crate::types::ScalarValue::from_bits($h.scalar($b)),
        );
        $h.set_scalar($dst, $crate::types::ScalarValue::to_bits(v));
        $h.next()
    }};
    ($h:ident; binary_trap $f:ident; $dst:ident, $a:ident, $b:ident) => {{
        match $crate::semantics::$f(
            $crate::types::ScalarValue::from_bits($h.scalar($a)),
            $crate::types::ScalarValue::from_bits($h.scalar($b)),
        ) {
            Ok(v) => {
                $h.set_scalar($dst, $crate::types::ScalarValue::to_bits(v));
                $h.next()
            }
            Err(trap) => $h.numeric_trap(trap),
        }
    }};
    ($h:ident; unary $f:ident; $dst:ident, $a:ident) => {{
        let v = $crate::semantics::$f($crate::types::ScalarValue::from_bits($h.scalar($a)));
        $h.set_scalar($dst, $crate::types::ScalarValue::to_bits(v));
        $h.next()
    }};
    ($h:ident; unary_trap $f:ident; $dst:ident, $a:ident) => {{
        match $crate::semantics::$f($crate::types::ScalarValue::from_bits($h.scalar($a))) {
            Ok(v) => {
                $h.set_scalar($dst, $crate::types::ScalarValue::to_bits(v));
                $h.next()
            }
            Err(trap) => $h.numeric_trap(trap),
        }
    }};
    ($h:ident; binary_imm $f:ident; $dst:ident, $a:ident, $imm:ident) => {{
        let v = $crate::semantics::$f(
            $crate::types::ScalarValue::from_bits($h.scalar($a)),
            $imm.into(),
        );
        $h.set_scalar($dst, $crate::types::ScalarValue::to_bits(v));
        $h.next()
    }};
    ($h:ident; branch_imm $f:ident; $a:ident, $imm:ident, $target:ident) => {{
        if $crate::semantics::$f(
            $crate::types::ScalarValue::from_bits($h.scalar($a)),
            $imm.into(),
        ) {
            $h.goto($target)
        } else {
            $h.next()
        }
    }};
    ($h:ident; branch $f:ident; $a:ident, $b:ident, $target:ident) => {{
        if $crate::semantics::$f(
            $crate::types::ScalarValue::from_bits($h.scalar($a)),
            $crate::types::ScalarValue::from_bits($h.scalar($b)),
        ) {
            $h.goto($target)
        } else {
            $h.next()
        }
    }};
}

/// Generates the instruction enum and everything derived from the table.
///
/// `pure` lines: `Name(method) { fields } kind(function);` where `kind` is
/// one of `binary`, `binary_trap`, `unary`, `unary_trap`, `branch`,
/// `binary_imm`, `branch_imm` (the second operand an immediate),
/// `method` names the handler and `function` the meaning in
/// `crate::semantics`.
/// `inline` lines: `Name(method) { fields };`, handled by the dispatch
/// loop itself, on the state it keeps in locals (constants, moves, branches,
/// loads and stores); every executor implements them.
/// `out_of_line` lines: `Name(method) { fields };`, handled by the
/// executor's [`OutOfLineHandlers`](crate::isa::OutOfLineHandlers), reached
/// through [`Handlers::out_of_line`](crate::isa::Handlers::out_of_line).
/// Field kinds (types in `isa::kinds`): `write(T)` / `read(T)` (a scalar
/// register written / read, of scalar type `T`), `write_any` / `read_any`
/// (any scalar type, checked by an instruction rule), `target`, `list`,
/// `index`, `imm(Type)`.
macro_rules! instructions {
    (
        pure {
            $(
                $(#[doc = $pdoc:literal])*
                $pname:ident($pmethod:ident) { $($pfield:ident : $pkind:ident $(($($parg:tt)*))?),* $(,)? } $semantics:ident($semfn:ident);
            )*
        }
        inline {
            $(
                $(#[doc = $idoc:literal])*
                $iname:ident($imethod:ident) { $($ifield:ident : $ikind:ident $(($($iarg:tt)*))?),* $(,)? };
            )*
        }
        out_of_line {
            $(
                $(#[doc = $odoc:literal])*
                $oname:ident($omethod:ident) { $($ofield:ident : $okind:ident $(($($oarg:tt)*))?),* $(,)? };
            )*
        }
    ) => {
        instructions! {
            @generate
            pure { $($(#[doc = $pdoc])* $pname($pmethod) { $($pfield : $pkind $(($($parg)*))?),* } $semantics($semfn);)* }
            custom {
                $($(#[doc = $idoc])* $iname($imethod) { $($ifield : $ikind $(($($iarg)*))?),* };)*
                $($(#[doc = $odoc])* $oname($omethod) { $($ofield : $okind $(($($oarg)*))?),* };)*
            }
        }

        /// How an executor runs each instruction. Pure instructions have
        /// default handlers built from their semantics function; inline
        /// instructions are the executor's own to run on its local state;
        /// out-of-line instructions go, by default, to
        /// [`OutOfLineHandlers`] through [`Handlers::out_of_line`].
        pub trait Handlers {
            /// What a handler returns to the dispatch loop.
            type Flow;
            /// What out-of-line instructions run on.
            type OutOfLine: OutOfLineHandlers;
            /// Reads a scalar register of the current frame.
            fn scalar(&self, reg: $crate::isa::Reg) -> u64;
            /// Writes a scalar register of the current frame.
            fn set_scalar(&mut self, reg: $crate::isa::Reg, bits: u64);
            /// Continue with the next instruction.
            fn next(&mut self) -> Self::Flow;
            /// Continue at `target`.
            fn goto(&mut self, target: $crate::isa::Pc) -> Self::Flow;
            /// Stop with a numeric trap.
            fn numeric_trap(&mut self, trap: $crate::semantics::NumTrap) -> Self::Flow;
            /// Runs `op` on the out-of-line state: whatever the loop keeps in
            /// locals is written back before and reloaded after, since `op`
            /// may change it (a call changes the frame and the code).
            fn out_of_line(
                &mut self,
                op: impl FnOnce(&mut Self::OutOfLine) -> <Self::OutOfLine as OutOfLineHandlers>::Flow,
            ) -> Self::Flow;

            $(
                #[inline(always)]
                fn $pmethod(&mut self, $($pfield: <$crate::isa::kinds::$pkind $(<$($parg)*>)? as $crate::isa::kinds::Field<$crate::isa::Pc>>::Ty),*) -> Self::Flow {
                    pure_body!(self; $semantics $semfn; $($pfield),*)
                }
            )*
            $(
                $(#[doc = $idoc])*
                fn $imethod(&mut self, $($ifield: <$crate::isa::kinds::$ikind $(<$($iarg)*>)? as $crate::isa::kinds::Field<$crate::isa::Pc>>::Ty),*) -> Self::Flow;
            )*
            $(
                #[inline(always)]
                fn $omethod(&mut self, $($ofield: <$crate::isa::kinds::$okind $(<$($oarg)*>)? as $crate::isa::kinds::Field<$crate::isa::Pc>>::Ty),*) -> Self::Flow {
                    self.out_of_line(|state| state.$omethod($($ofield),*))
                }
            )*
        }

        /// The handlers of out-of-line instructions: those that need more
        /// than registers and the program counter (calls, tables, globals,
        /// the arenas, memory management).
        pub trait OutOfLineHandlers {
            /// What a handler returns to the dispatch loop.
            type Flow;
            $(
                $(#[doc = $odoc])*
                fn $omethod(&mut self, $($ofield: <$crate::isa::kinds::$okind $(<$($oarg)*>)? as $crate::isa::kinds::Field<$crate::isa::Pc>>::Ty),*) -> Self::Flow;
            )*
        }
    };
    (
        @generate
        pure {
            $(
                $(#[doc = $pdoc:literal])*
                $pname:ident($pmethod:ident) { $($pfield:ident : $pkind:ident $(($($parg:tt)*))?),* $(,)? } $semantics:ident($semfn:ident);
            )*
        }
        custom {
            $(
                $(#[doc = $cdoc:literal])*
                $cname:ident($cmethod:ident) { $($cfield:ident : $ckind:ident $(($($carg:tt)*))?),* $(,)? };
            )*
        }
    ) => {
        /// One instruction. `T` is the branch target: a label name in the
        /// text form, a [`Label`](crate::isa::Label) in the builder, a
        /// [`Pc`](crate::isa::Pc) once verified.
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub enum Instr<T> {
            $(
                $(#[doc = $pdoc])*
                $pname { $($pfield: <$crate::isa::kinds::$pkind $(<$($parg)*>)? as $crate::isa::kinds::Field<T>>::Ty),* },
            )*
            $(
                $(#[doc = $cdoc])*
                $cname { $($cfield: <$crate::isa::kinds::$ckind $(<$($carg)*>)? as $crate::isa::kinds::Field<T>>::Ty),* },
            )*
        }

        impl<T> Instr<T> {
            /// The opcode's name, as written in the text form.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Instr::$pname { .. } => stringify!($pname),)*
                    $(Instr::$cname { .. } => stringify!($cname),)*
                }
            }

            /// The register operands, with their access and type.
            pub fn operands(&self) -> $crate::isa::Operands {
                let mut ops = $crate::isa::Operands::new();
                match self {
                    $(Instr::$pname { $($pfield),* } => { $(push_operand!(ops, $pfield; $pkind $($($parg)*)?);)* })*
                    $(Instr::$cname { $($cfield),* } => { $(push_operand!(ops, $cfield; $ckind $($($carg)*)?);)* })*
                }
                ops
            }

            /// The same instruction with every branch target mapped by `f`.
            pub fn map_targets<U, E>(self, mut f: impl FnMut(T) -> Result<U, E>) -> Result<Instr<U>, E> {
                Ok(match self {
                    $(Instr::$pname { $($pfield),* } => Instr::$pname { $($pfield: map_field!(f, $pfield; $pkind)),* },)*
                    $(Instr::$cname { $($cfield),* } => Instr::$cname { $($cfield: map_field!(f, $cfield; $ckind)),* },)*
                })
            }
        }

        impl Instr<$crate::isa::Pc> {
            /// Runs this instruction's handler.
            #[inline(always)]
            pub fn dispatch<H: Handlers>(&self, h: &mut H) -> H::Flow {
                match *self {
                    $(Instr::$pname { $($pfield),* } => h.$pmethod($($pfield),*),)*
                    $(Instr::$cname { $($cfield),* } => h.$cmethod($($cfield),*),)*
                }
            }
        }
    };
}
