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
