#pragma once
/// An intrusive FIFO of suspended awaiters (each awaiter lives in its coroutine's frame and is its own node,
/// so waiting allocates nothing). Not synchronised: the owning primitive guards it.

#include <coroutine>

namespace concbench::coro::detail {

/// What every waiting awaiter holds: the list link, the coroutine to resume and the scheduler to resume it on
/// (the one it suspended on; a waker may run elsewhere, e.g. a channel closed from outside the scheduler).
template <class Node, class S>
struct Waiter {
  Node* next = nullptr;
  std::coroutine_handle<> handle;
  S* scheduler = nullptr;

  /// Notes who waits, before the node can go on a list: the suspending coroutine and the scheduler it runs on.
  void remember(std::coroutine_handle<> self) noexcept {
    handle = self;
    scheduler = S::current();
  }
};

/// Makes a popped waiter's coroutine ready. Everything the waker had to hand over (a value, a flag) must be
/// written before: once posted, the coroutine may run on another thread and end, and the node with it.
template <class Node>
void wake(Node* node) noexcept {
  const auto handle = node->handle;
  auto* const scheduler = node->scheduler;
  scheduler->post(handle);  // `node` may be gone from here on
}

/// Wakes every node of a chain taken with `take_all()`, in order (each `next` is read before its node wakes).
template <class Node>
void wake_all(Node* node) noexcept {
  while (node != nullptr) {
    Node* const next = node->next;
    wake(node);
    node = next;
  }
}

template <class Node>
class WaitList {
 public:
  bool empty() const noexcept { return head_ == nullptr; }

  void push_back(Node* node) noexcept {
    node->next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = node;
    } else {
      head_ = node;
    }
    tail_ = node;
  }

  /// The oldest waiter, or nullptr.
  Node* pop_front() noexcept {
    Node* const node = head_;
    if (node != nullptr) {
      head_ = node->next;
      if (head_ == nullptr) tail_ = nullptr;
    }
    return node;
  }

  /// Every waiter, oldest first, as a chain linked by `next`; the list is left empty.
  Node* take_all() noexcept {
    Node* const node = head_;
    head_ = tail_ = nullptr;
    return node;
  }

 private:
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
};

}  // namespace concbench::coro::detail
