#pragma once
/// The external models: each cell runs in a peer program of another language, spoken to over the peer
/// protocol (docs/models.md, "External models: the peer protocol"; the client: models/peer/peer.hpp). A model
/// here is only its descriptor, its hooks and where its peer program is: the workloads' external bodies
/// (benchmarks/external_binding.hpp) start the peer and check what it answers.

#include <map>
#include <string>
#include <string_view>

#include "harness/models/model.hpp"

namespace concbench {

/// Where a model's peer program is and how it is started.
struct PeerProgram {
  /// The program (or the script, when `interpreted`), relative to the directory of the concbench binary or
  /// to the installed share directory (peer_locate.hpp).
  std::string_view file;
  /// Run by the Python interpreter of the run (PeerSettings::python), the script as its one argument.
  bool interpreted = false;
  /// Appended to "<file> not found" when the program is missing (how to get it).
  std::string_view advice = {};
};

/// The versions the peer alive in this process reported (the row's metrics, e.g. `python_version`).
std::map<std::string, std::string> peer_versions();

/// What every external model shares: its one hook, the versions its peer reported.
struct PeerModel {
  static constexpr ModelHooks hooks{.process_metrics = &peer_versions};
};

/// The python-* models: one program, whose three ways of running tasks are the three models.
struct PythonPeerModel : PeerModel {
  static constexpr PeerProgram peer{.file = "peers/python/concbench_peer.py", .interpreted = true};
};

class PythonThreadsModel : public PythonPeerModel {
 public:
  static constexpr ModelInfo info =
      one_at_a_time("python-threads", "CPython threading.Thread per task under the real GIL (a peer)");
};

class PythonAsyncioModel : public PythonPeerModel {
 public:
  static constexpr ModelInfo info = on_one_thread("python-asyncio", "CPython asyncio tasks on one event loop (a peer)");
};

class PythonGeneratorsModel : public PythonPeerModel {
 public:
  static constexpr ModelInfo info =
      on_one_thread("python-generators", "CPython generator coroutines driven by send, round robin (a peer)");
};

class GoModel : public PeerModel {
 public:
  static constexpr ModelInfo info =
      on_threads("go", "Go goroutines, channels, sync.Mutex; GOMAXPROCS = cores (a peer)");
  static constexpr PeerProgram peer{
      .file = "concbench-peer-go", .interpreted = false, .advice = "install golang-go and rebuild"};
};

}  // namespace concbench
