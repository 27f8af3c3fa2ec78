//! The module's memory allocator: the standard library's dlmalloc, with
//! memory grown geometrically.
//!
//! The standard allocator asks for more memory one request at a time,
//! often a single 64 KiB page, and V8 in Node (on some machines) copies
//! the whole memory on every `memory.grow`: loading a large dataset then
//! costs time quadratic in its size (growing to 1 GiB page by page took
//! 5 s in Node, 57 ms in Chromium). Here each growth asks for at least
//! half the memory already there, so a load of any size grows memory a
//! logarithmic number of times. The cost is memory held in reserve: at
//! most half the size reached, and never more than 64 MiB at once.
//!
//! The only unsafe code of the workspace lives here.
#![allow(unsafe_code)]
// The growth policy is plain arithmetic, tested natively too; only the
// wasm build uses it.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
use std::alloc::{GlobalAlloc, Layout};
#[cfg(target_arch = "wasm32")]
use std::cell::UnsafeCell;
#[cfg(target_arch = "wasm32")]
use std::ptr;

#[cfg(target_arch = "wasm32")]
use dlmalloc::{Allocator, Dlmalloc};

/// A wasm page.
const PAGE: usize = 64 * 1024;
/// The most memory one growth reserves beyond what was asked for.
const MAX_RESERVE: usize = 64 * 1024 * 1024;

/// Hands dlmalloc new memory from `memory.grow`, in growing steps.
#[cfg(target_arch = "wasm32")]
struct GrowingMemory;

/// How many pages to grow by for a request of `size` bytes when memory
/// has `current` pages: what is asked, or half the current size (capped),
/// whichever is more.
fn pages_to_grow(size: usize, current: usize) -> usize {
    let needed = size.div_ceil(PAGE);
    needed.max((current / 2).min(MAX_RESERVE / PAGE))
}

#[cfg(target_arch = "wasm32")]
// SAFETY: the regions handed out are fresh pages from `memory.grow`,
// never handed out twice, and never released (wasm memory cannot shrink).
unsafe impl Allocator for GrowingMemory {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let current = core::arch::wasm32::memory_size(0);
        let mut pages = pages_to_grow(size, current);
        let mut previous = core::arch::wasm32::memory_grow(0, pages);
        if previous == usize::MAX {
            // The reserve did not fit: ask for exactly what is needed.
            pages = size.div_ceil(PAGE);
            previous = core::arch::wasm32::memory_grow(0, pages);
            if previous == usize::MAX {
                return (ptr::null_mut(), 0, 0);
            }
        }
        ((previous * PAGE) as *mut u8, pages * PAGE, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        // Pages fresh from `memory.grow` are zeroed.
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

/// dlmalloc over `GrowingMemory`, as the global allocator.
#[cfg(target_arch = "wasm32")]
pub(crate) struct ModuleAllocator(UnsafeCell<Dlmalloc<GrowingMemory>>);

#[cfg(target_arch = "wasm32")]
// SAFETY: this module runs on one thread (wasm32-unknown-unknown without
// shared memory), so the allocator is never entered twice at once.
unsafe impl Sync for ModuleAllocator {}

#[cfg(target_arch = "wasm32")]
impl ModuleAllocator {
    pub(crate) const fn new() -> Self {
        Self(UnsafeCell::new(Dlmalloc::new_with_allocator(GrowingMemory)))
    }
}

#[cfg(target_arch = "wasm32")]
// SAFETY: each method forwards to dlmalloc with the layout's size and
// alignment, as its contract asks; see `Sync` above for exclusivity.
unsafe impl GlobalAlloc for ModuleAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).malloc(layout.size(), layout.align()) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).calloc(layout.size(), layout.align()) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { (*self.0.get()).free(ptr, layout.size(), layout.align()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_geometric_and_capped() {
        assert_eq!(pages_to_grow(1, 16), 8);
        assert_eq!(pages_to_grow(10 * PAGE, 16), 10);
        assert_eq!(pages_to_grow(1, 100_000), MAX_RESERVE / PAGE);
    }
}
