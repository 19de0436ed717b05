#pragma once
/// The C++ side of the peer protocol (docs/models.md, "External models: the peer protocol"): starts a cell's
/// peer, says which cell it runs, asks it for one run at a time and reads its answers. Every way a peer can go
/// wrong ends in an exception with a reason that names the peer, never in a hang (a silent peer is left to
/// the runner's watchdog): PeerError (status failed, or crashed when the peer ended) or DeadlockError.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/cell_key.hpp"
#include "harness/core/model_context.hpp"
#include "harness/core/model_info.hpp"
#include "harness/models/external.hpp"

namespace concbench {

class PeerProcess;

/// A peer that answered wrongly (`crashed` false: status failed) or ended (`crashed` true: status crashed).
class PeerError : public std::runtime_error {
 public:
  PeerError(const std::string& what, bool crashed) : std::runtime_error(what), crashed_(crashed) {}
  bool crashed() const { return crashed_; }

 private:
  bool crashed_;
};

/// The `result` object of one run: each field a decimal integer (a string or a JSON integer) or a list of them.
/// A missing or malformed field throws PeerError, naming it.
class PeerResult {
 public:
  struct Field {
    std::vector<std::string> values;  // each integer's decimal text
    bool list = false;                // a list, not a scalar
  };
  PeerResult(std::string peer, std::map<std::string, Field> fields)
      : peer_(std::move(peer)), fields_(std::move(fields)) {}

  std::uint64_t u64(const std::string& field) const;
  std::int64_t i64(const std::string& field) const;
  /// A list of exactly `size` integers.
  std::vector<std::int64_t> i64s(const std::string& field, std::size_t size) const;
  bool has(const std::string& field) const { return fields_.count(field) > 0; }

 private:
  const Field& find(const std::string& field, bool list) const;
  [[noreturn]] void wrong(const std::string& field, const std::string& why) const;
  template <class Int>
  Int parse(const std::string& field, const std::string& text) const;

  std::string peer_;  // "peer <model>", for the reasons
  std::map<std::string, Field> fields_;
};

/// One run's answer.
struct PeerRun {
  std::int64_t elapsed_ns = 0;
  int workers = 1;
  std::string mapping;
  PeerResult result{{}, {}};
};

/// A cell's peer, started and ready to run (Peer::start), or the reason the cell is unsupported.
class Peer;
struct PeerStart {
  std::unique_ptr<Peer> peer;
  std::string unsupported;
};

class Peer {
 public:
  /// Finds the program of `program` (peer_locate.hpp; --peer overrides it), starts it and sends it the cell.
  /// Unsupported when the program is missing or the peer says so; throws PeerError otherwise.
  static PeerStart start(const CellKey& key, const ModelContext& context, const PeerProgram& program);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  /// One complete run of the cell. Throws PeerError, or DeadlockError when the peer reports a deadlock.
  PeerRun run();
  /// The elapsed time the peer reported for its last run, in seconds (Google Benchmark's manual time).
  std::optional<double> last_run_seconds() const { return last_run_s_; }

 private:
  Peer(std::unique_ptr<PeerProcess> process, std::string name);

  std::unique_ptr<PeerProcess> process_;
  std::string name_;  // "peer python-threads"
  std::int64_t runs_ = 0;
  std::optional<double> last_run_s_;
};

}  // namespace concbench
