// HUBGUARD_ASAN is 1 in AddressSanitizer builds, whichever compiler made them: g++ defines
// __SANITIZE_ADDRESS__, clang only answers __has_feature(address_sanitizer). Code that must
// behave differently under ASan (it reserves terabytes of address space, so memory rlimits
// cannot be applied) asks this one macro.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define HUBGUARD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HUBGUARD_ASAN 1
#endif
#endif
#ifndef HUBGUARD_ASAN
#define HUBGUARD_ASAN 0
#endif

namespace hubguard {

// Threads a file-scanning pool may use. The HDF5 reader forks a child for libhdf5 while other
// scanning threads allocate; glibc's malloc is safe across fork, but the ASan allocator of
// clang/gcc 12-14 is not (a child can inherit a size-class lock another thread held, and hang
// until the reader's deadline). Sanitizer builds therefore scan files one at a time; the
// ordinary build (and CI's first pass) keeps the parallel path tested.
inline unsigned scan_threads(unsigned requested) {
  if (HUBGUARD_ASAN) return 1;
  return requested == 0 ? 1 : requested;
}

}  // namespace hubguard
