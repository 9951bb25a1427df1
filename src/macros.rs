//! Crate-internal macros.

/// A closed set of words with English and Chinese labels: the enum, `ALL`,
/// `label_en`, `label_zh`, and `Display` in English. Serde uses snake case.
macro_rules! words {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => $en:literal, $zh:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $v,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// English words.
            pub const fn label_en(self) -> &'static str {
                match self { $($name::$v => $en,)+ }
            }

            /// Chinese words.
            pub const fn label_zh(self) -> &'static str {
                match self { $($name::$v => $zh,)+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label_en())
            }
        }
    };
}
